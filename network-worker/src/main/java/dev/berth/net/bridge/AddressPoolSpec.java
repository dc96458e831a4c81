package dev.berth.net.bridge;

import dev.berth.bus.EngineException;

/**
 * One entry of daemon.json {@code default-address-pools}: a base range cut into subnets of
 * {@code size} bits, as dockerd reads it.
 */
public record AddressPoolSpec(String base, int size) {
    public AddressPoolSpec {
        Ipv4Subnet parsed = Ipv4Subnet.parse(base);
        if (size < parsed.prefixLength() || size > 30) {
            throw EngineException.invalid("invalid pool size " + size + " for base " + base);
        }
    }

    /** Berth's default: 10.199.0.0/16 in /20s, outside Docker's 172.17.0.0/12 and 192.168.0.0/16 pools. */
    public static AddressPoolSpec defaultPool() {
        return new AddressPoolSpec("10.199.0.0/16", 20);
    }
}
