package dev.berth.net.bridge;

import dev.berth.bus.EngineException;
import java.util.HashSet;
import java.util.Set;

/**
 * IPAM for one subnet: hands out the host addresses after the gateway, next-fit, so that an
 * address just released is not given to the next container at once (a peer may still cache it).
 * The network address, the gateway and the broadcast address are never handed out.
 */
public final class AddressPool {
    private final Ipv4Subnet subnet;
    private final Ipv4Subnet range;
    private final long gateway;
    private final Set<Long> inUse = new HashSet<>();
    private long next;

    public AddressPool(Ipv4Subnet subnet, long gateway) {
        this(subnet, gateway, subnet);
    }

    /** Addresses come from range, a part of the subnet (docker network create --ip-range). */
    public AddressPool(Ipv4Subnet subnet, long gateway, Ipv4Subnet range) {
        if (!subnet.contains(gateway)) {
            throw EngineException.invalid("gateway " + Ipv4Subnet.format(gateway) + " is not in subnet " + subnet);
        }
        if (!subnet.contains(range.network()) || range.prefixLength() < subnet.prefixLength()) {
            throw EngineException.invalid("ip range " + range + " is not in subnet " + subnet);
        }
        this.subnet = subnet;
        this.range = range;
        this.gateway = gateway;
        this.next = Math.max(range.network(), subnet.network() + 1);
    }

    public synchronized long allocate() {
        long first = Math.max(range.network(), subnet.network() + 1);
        long last = Math.min(range.broadcast(), subnet.broadcast() - 1);
        long span = last - first + 1;
        for (long tried = 0; tried < Math.max(span, 0); tried++) {
            long candidate = next;
            next = next >= last ? first : next + 1;
            if (candidate != gateway && !inUse.contains(candidate)) {
                inUse.add(candidate);
                return candidate;
            }
        }
        throw EngineException.conflict("no available IPv4 addresses on this network's address pools: " + subnet);
    }

    /** Marks an address taken (one recorded before a restart); false when it already was. */
    public synchronized boolean reserve(long address) {
        if (!subnet.contains(address) || address == gateway) {
            throw EngineException.invalid("address " + Ipv4Subnet.format(address) + " is not available in " + subnet);
        }
        return inUse.add(address);
    }

    public synchronized void release(long address) {
        inUse.remove(address);
    }

    public synchronized int inUse() {
        return inUse.size();
    }
}
