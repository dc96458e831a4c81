package dev.berth.bus.contract.network;

import java.util.List;
import java.util.Map;

/**
 * Arguments of {@code network.create}, from POST /networks/create: the driver ({@code bridge}
 * or empty), the address ranges asked for (empty: one chosen from the address pools), and the
 * flags and options as Docker sends them.
 */
public record CreateNetwork(String name, String driver, boolean internal, boolean attachable, boolean enableIpv6,
        String ipamDriver, List<IpamConfig> ipam, Map<String, String> options, Map<String, String> labels) {
    public CreateNetwork {
        ipam = ipam == null ? List.of() : List.copyOf(ipam);
        options = options == null ? Map.of() : Map.copyOf(options);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
