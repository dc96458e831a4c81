package dev.berth.exec.container;

import dev.berth.bus.contract.container.NetworkingConfig.EndpointSettings;
import dev.berth.bus.contract.network.Endpoint;
import dev.berth.bus.contract.network.NetworkView;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The networks a container joins, by name, with what it asked of each: the one its NetworkMode
 * names, as created, until docker network connect or disconnect makes its NetworkingConfig the
 * whole list (dockerd keeps that list as NetworkSettings.Networks, and starts a container on
 * every network in it).
 */
final class ContainerNetworks {
    private ContainerNetworks() {
    }

    /** The network a NetworkMode names: "" and "default" are the default bridge, "bridge". */
    static String nameOfMode(String mode) {
        return mode == null || mode.isEmpty() || mode.equals("default") ? "bridge" : mode;
    }

    /**
     * In the order it joins them; {@code host} and {@code none} modes list their pseudo-network,
     * container:&lt;id&gt; none (it joins another's namespace). Values may be null.
     */
    static Map<String, EndpointSettings> joined(Container c) {
        if (c.networksChosen()) {
            return c.networkingConfig().endpoints();
        }
        String mode = c.hostConfig().effectiveNetworkMode();
        if (mode.startsWith("container:")) {
            return Map.of();
        }
        String name = nameOfMode(mode);
        Map<String, EndpointSettings> asked = c.networkingConfig().endpoints();
        EndpointSettings settings = asked.get(name);
        if (settings == null) {
            settings = asked.get(mode);
        }
        if (settings == null && name.equals("bridge")) {
            settings = asked.get("default");
        }
        if (settings == null) {
            // At most one endpoint config at create (more than one --network is refused there).
            settings = asked.values().stream().filter(Objects::nonNull).findFirst().orElse(null);
        }
        Map<String, EndpointSettings> joined = new LinkedHashMap<>();
        joined.put(name, settings);
        return Collections.unmodifiableMap(joined);
    }

    /** The key of {@code joined} that names the network (by name, full id or id prefix), or null. */
    static String keyOf(Map<String, EndpointSettings> joined, NetworkView network) {
        for (String key : joined.keySet()) {
            if (key.equals(network.name()) || key.equals(network.id()) || key.length() >= 12 && network.id().startsWith(key)
                    || network.name().equals("bridge") && key.equals("default")) {
                return key;
            }
        }
        return null;
    }

    /** --dns wins; else the embedded DNS of its user networks; else daemon.json dns; else (empty) the host's resolvers. */
    static List<String> nameServers(Container c, List<Endpoint> endpoints, List<String> daemonDns) {
        List<String> dns = c.hostConfig().dnsServers().isEmpty()
                ? endpoints.stream().flatMap(e -> e.dnsServers().stream()).distinct().toList() : c.hostConfig().dnsServers();
        return dns.isEmpty() ? daemonDns : dns;
    }

    /** host and none share no bridge: their containers connect to nothing else. */
    static boolean isPseudoNetwork(String name) {
        return name.equals("host") || name.equals("none");
    }
}
