package dev.berth.bus.contract.network;

import java.util.List;

/**
 * Arguments of {@code network.endpoint.connect} (docker network connect, and a start of a
 * container connected to more than one network): an endpoint on {@code network} (name, id or id
 * prefix) in the container's pinned namespace {@code netnsPath}, beside the endpoints it has.
 *
 * @param aliases --alias, network-scoped names the embedded DNS answers for too
 * @param ipv4Address --ip; null when the network chooses
 */
public record ConnectEndpoint(String containerId, String containerName, String netnsPath, String network, List<String> aliases,
        String ipv4Address) {
    public ConnectEndpoint {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        ipv4Address = ipv4Address == null || ipv4Address.isEmpty() ? null : ipv4Address;
    }
}
