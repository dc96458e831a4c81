package dev.berth.net.sandbox;

import java.util.List;

/**
 * What a container asks of its endpoint beyond an address: network-scoped aliases for the
 * embedded DNS, a fixed IPv4 address (--ip) and a MAC (--mac-address); null when not asked.
 */
public record EndpointRequest(List<String> aliases, String ipv4Address, String macAddress) {
    public static final EndpointRequest NONE = new EndpointRequest(List.of(), null, null);

    public EndpointRequest {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        ipv4Address = ipv4Address == null || ipv4Address.isEmpty() ? null : ipv4Address;
        macAddress = macAddress == null || macAddress.isEmpty() ? null : macAddress.toLowerCase(java.util.Locale.ROOT);
    }

    boolean isEmpty() {
        return aliases.isEmpty() && ipv4Address == null && macAddress == null;
    }
}
