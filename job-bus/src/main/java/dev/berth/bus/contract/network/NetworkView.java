package dev.berth.bus.contract.network;

import java.util.List;
import java.util.Map;

/**
 * A network as the network worker knows it; the gateway renders Docker's shape from it.
 *
 * @param created RFC 3339 with nanoseconds, as Docker prints it
 * @param scope {@code local} for every network of one node
 * @param ipam the subnets and gateways of the network; empty when it has no addresses of its own
 * @param containers the containers attached now
 */
public record NetworkView(String id, String name, String driver, String scope, String created, boolean internal,
        boolean attachable, List<IpamConfig> ipam, Map<String, String> options, Map<String, String> labels,
        List<NetworkAttachment> containers) {
    public NetworkView {
        ipam = ipam == null ? List.of() : List.copyOf(ipam);
        options = options == null ? Map.of() : Map.copyOf(options);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        containers = containers == null ? List.of() : List.copyOf(containers);
    }

    /** A network without containers. */
    public NetworkView(String id, String name, String driver, String scope, String created, boolean internal,
            boolean attachable, List<IpamConfig> ipam, Map<String, String> options, Map<String, String> labels) {
        this(id, name, driver, scope, created, internal, attachable, ipam, options, labels, List.of());
    }

    public NetworkView withContainers(List<NetworkAttachment> attached) {
        return new NetworkView(id, name, driver, scope, created, internal, attachable, ipam, options, labels, attached);
    }
}
