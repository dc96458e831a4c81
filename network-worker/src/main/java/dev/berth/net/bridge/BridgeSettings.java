package dev.berth.net.bridge;

import dev.berth.bus.EngineException;
import java.util.List;
import java.util.Optional;

/**
 * The default bridge's device name, subnet and gateway address (the bridge's own address).
 */
public record BridgeSettings(String bridgeName, Ipv4Subnet subnet, long gateway) {
    public BridgeSettings {
        checkDeviceName(bridgeName);
        if (!subnet.contains(gateway) || gateway == subnet.network() || gateway == subnet.broadcast() || subnet.prefixLength() > 30) {
            throw EngineException.invalid("invalid bridge address " + Ipv4Subnet.format(gateway) + "/" + subnet.prefixLength());
        }
    }

    /** Linux interface names: at most 15 bytes, no '/', ':' or whitespace. */
    public static void checkDeviceName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw EngineException.invalid("invalid bridge name " + name + " (1 to 15 letters, digits, '.', '_' or '-')");
        }
    }

    /**
     * As dockerd chooses: {@code --bip} when given (the bridge's address with its prefix); else
     * the address the bridge already has; else the first subnet of the pools that overlaps none
     * of the host's routes, with its first address as the gateway.
     */
    public static BridgeSettings choose(String bridgeName, String bip, Optional<String> existingAddress,
            List<AddressPoolSpec> pools, List<Ipv4Subnet> hostRoutes) {
        if (bip != null && !bip.isEmpty()) {
            return fromAddress(bridgeName, bip);
        }
        if (existingAddress.isPresent()) {
            return fromAddress(bridgeName, existingAddress.get());
        }
        for (AddressPoolSpec pool : pools) {
            Ipv4Subnet base = Ipv4Subnet.parse(pool.base());
            long step = 1L << (32 - pool.size());
            for (long network = base.network(); network + step - 1 <= base.broadcast(); network += step) {
                Ipv4Subnet candidate = new Ipv4Subnet(network, pool.size());
                if (hostRoutes.stream().noneMatch(route -> route.prefixLength() > 0 && route.overlaps(candidate))) {
                    return new BridgeSettings(bridgeName, candidate, candidate.network() + 1);
                }
            }
        }
        throw EngineException.invalid("no subnet of the default address pools is free of the host's routes for bridge " + bridgeName);
    }

    private static BridgeSettings fromAddress(String bridgeName, String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw EngineException.invalid("invalid --bip " + cidr + ": an address with its prefix, such as 10.199.0.1/20, is required");
        }
        return new BridgeSettings(bridgeName, Ipv4Subnet.parse(cidr), Ipv4Subnet.parseAddress(cidr.substring(0, slash)));
    }

    public String gatewayAddress() {
        return Ipv4Subnet.format(gateway);
    }
}
