package dev.berth.net.bridge;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.network.Endpoint;
import dev.berth.net.endpoint.EndpointStore;
import dev.berth.net.endpoint.StoredEndpoint;
import dev.berth.net.ports.PortAllocator;
import dev.berth.net.ports.PortSpec;
import dev.berth.net.sandbox.EndpointRequest;
import dev.berth.net.sandbox.NetworkAttachments;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's bridge networks, the default one and the user-defined ones, by id: where a
 * container's endpoint goes and, from its record, which network takes it back.
 */
public final class BridgeNetworks implements NetworkAttachments {
    private final BridgeNetwork defaultBridge;
    private final Map<String, BridgeNetwork> byId = new ConcurrentHashMap<>();
    private final EndpointStore store;
    private final PortAllocator ports;

    public BridgeNetworks(BridgeNetwork defaultBridge, EndpointStore store, PortAllocator ports) {
        this.defaultBridge = defaultBridge;
        this.store = store;
        this.ports = ports;
        byId.put(defaultBridge.id(), defaultBridge);
    }

    public BridgeNetwork defaultBridge() {
        return defaultBridge;
    }

    public EndpointStore store() {
        return store;
    }

    public PortAllocator ports() {
        return ports;
    }

    public void add(BridgeNetwork network) {
        byId.put(network.id(), network);
    }

    public Optional<BridgeNetwork> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public List<BridgeNetwork> all() {
        return new ArrayList<>(byId.values());
    }

    public void remove(String id) {
        byId.remove(id);
    }

    /** "bridge", "default" and "" are the default bridge; anything else a user network by id, name or id prefix. */
    @Override
    public String resolve(String network) {
        if (network == null || network.isEmpty() || network.equals("default") || network.equals("bridge")) {
            return defaultBridge.id();
        }
        BridgeNetwork exact = byId.get(network);
        if (exact != null) {
            return exact.id();
        }
        for (BridgeNetwork candidate : byId.values()) {
            if (candidate.name().equals(network) && candidate != defaultBridge) {
                return candidate.id();
            }
        }
        List<BridgeNetwork> byPrefix = byId.values().stream().filter(n -> n.id().startsWith(network)).toList();
        if (byPrefix.size() == 1) {
            return byPrefix.get(0).id();
        }
        throw EngineException.notFound("network " + network + " not found");
    }

    @Override
    public Endpoint attach(String containerId, String containerName, Path netns, String network, List<PortSpec> requested,
            EndpointRequest options) throws IOException {
        BridgeNetwork target = byId.get(resolve(network));
        if (target == null) {
            throw EngineException.notFound("network " + network + " not found");
        }
        if (target == defaultBridge && (!options.aliases().isEmpty() || options.ipv4Address() != null)) {
            throw EngineException.invalid(options.ipv4Address() != null
                    ? "user specified IP address is supported on user defined networks only"
                    : "network-scoped alias is supported only for containers in user defined networks");
        }
        return target.attach(containerId, containerName, netns, requested, options);
    }

    @Override
    public void detach(String containerId) throws IOException {
        StoredEndpoint stored = store.find(containerId).orElse(null);
        if (stored == null) {
            return;
        }
        BridgeNetwork network = byId.get(stored.endpoint().networkId());
        if (network != null) {
            network.detach(stored);
        } else {
            store.delete(containerId);
        }
    }
}
