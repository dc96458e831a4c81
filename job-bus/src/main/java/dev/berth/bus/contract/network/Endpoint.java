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
 * @param dnsServers the network's own name servers (the embedded DNS of a user-defined
 *     network), for the container's resolv.conf; empty when the host's resolvers apply
 * @param aliases the network-scoped aliases (--network-alias, --alias) the embedded DNS
 *     answers for; empty in records written before they were kept here
 */
public record Endpoint(String networkId, String networkName, String endpointId, String ipAddress, int ipPrefixLen,
        String gateway, String macAddress, List<PublishedPort> ports, List<String> dnsServers, List<String> aliases) {
    public Endpoint {
        ports = ports == null ? List.of() : List.copyOf(ports);
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    /** An endpoint without aliases. */
    public Endpoint(String networkId, String networkName, String endpointId, String ipAddress, int ipPrefixLen, String gateway,
            String macAddress, List<PublishedPort> ports, List<String> dnsServers) {
        this(networkId, networkName, endpointId, ipAddress, ipPrefixLen, gateway, macAddress, ports, dnsServers, List.of());
    }
}
