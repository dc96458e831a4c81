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
    private final long gateway;
    private final Set<Long> inUse = new HashSet<>();
    private long next;

    public AddressPool(Ipv4Subnet subnet, long gateway) {
        if (!subnet.contains(gateway)) {
            throw EngineException.invalid("gateway " + Ipv4Subnet.format(gateway) + " is not in subnet " + subnet);
        }
        this.subnet = subnet;
        this.gateway = gateway;
        this.next = subnet.network() + 1;
    }

    public synchronized long allocate() {
        long first = subnet.network() + 1;
        long last = subnet.broadcast() - 1;
        long span = last - first + 1;
        for (long tried = 0; tried < span; tried++) {
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
