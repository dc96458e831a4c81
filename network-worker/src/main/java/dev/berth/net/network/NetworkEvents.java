package dev.berth.net.network;

import dev.berth.bus.EngineEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The network worker's `docker events` of type network, with the attributes dockerd gives them:
 * the network's name and type (its driver) on every event, the container on connect and
 * disconnect, and only what was reclaimed on a prune (which has no actor).
 */
public final class NetworkEvents {
    public static final NetworkEvents NONE = new NetworkEvents(event -> {
    });

    private final Consumer<EngineEvent> sink;

    /** @param sink where events go: the verticle hands them to the bus */
    public NetworkEvents(Consumer<EngineEvent> sink) {
        this.sink = sink;
    }

    public void created(String networkId, String name, String driver) {
        publish("create", networkId, name, driver, Map.of());
    }

    public void destroyed(String networkId, String name, String driver) {
        publish("destroy", networkId, name, driver, Map.of());
    }

    public void connected(String networkId, String name, String driver, String containerId) {
        publish("connect", networkId, name, driver, Map.of("container", containerId));
    }

    public void disconnected(String networkId, String name, String driver, String containerId) {
        publish("disconnect", networkId, name, driver, Map.of("container", containerId));
    }

    /** dockerd reports "0" reclaimed for networks, which hold no disk space. */
    public void pruned() {
        sink.accept(EngineEvent.now("network", "prune", "", Map.of("reclaimed", "0")));
    }

    public void publish(String action, String networkId, String name, String driver, Map<String, String> extra) {
        Map<String, String> attributes = new HashMap<>(extra);
        attributes.put("name", name);
        attributes.put("type", driver);
        sink.accept(EngineEvent.now("network", action, networkId, attributes));
    }
}
