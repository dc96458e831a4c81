package dev.berth.bus.contract.network;

import java.util.List;

/**
 * A container's attachment to one network, as the network worker made it: the exec worker keeps
 * it with the container (for /etc/hosts) and the gateway renders it as Docker's
 * {@code NetworkSettings.Networks.<name>}.
 *
 * @param ipAddress the container's IPv4 address, without prefix
 * @param macAddress the interface's MAC, lower-case and colon-separated
 * @param ports the host ports published to this endpoint; empty when none
 */
public record Endpoint(String networkId, String networkName, String endpointId, String ipAddress, int ipPrefixLen,
        String gateway, String macAddress, List<PublishedPort> ports) {
    public Endpoint {
        ports = ports == null ? List.of() : List.copyOf(ports);
    }
}
