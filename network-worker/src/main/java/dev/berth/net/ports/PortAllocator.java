package dev.berth.net.ports;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.network.PublishedPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Host ports of this node: which container holds which, so that two containers never get the
 * same one, and a port another program listens on is refused as dockerd refuses it. Berth holds
 * no socket on a published port (the DNAT rules take the traffic before any socket would); it
 * only checks, when allocating, that the port can be bound.
 */
public final class PortAllocator {
    /** dockerd's range for ports it chooses. */
    static final int EPHEMERAL_LOW = 49153;
    static final int EPHEMERAL_HIGH = 60999;

    private final Map<String, String> holders = new HashMap<>();
    private final PortProbe probe;

    /** Whether a host port can be bound now. */
    public interface PortProbe {
        boolean isFree(String protocol, String hostIp, int port);
    }

    public PortAllocator(PortProbe probe) {
        this.probe = probe;
    }

    public static PortAllocator withSocketProbe() {
        return new PortAllocator(PortAllocator::bindable);
    }

    /** All of the specs or none: a conflict releases what this call took and fails. */
    public synchronized List<PublishedPort> allocate(String containerId, List<PortSpec> specs) {
        List<PublishedPort> taken = new ArrayList<>();
        try {
            for (PortSpec spec : specs) {
                taken.add(allocateOne(containerId, spec));
            }
            return taken;
        } catch (RuntimeException e) {
            release(taken);
            throw e;
        }
    }

    private PublishedPort allocateOne(String containerId, PortSpec spec) {
        if (spec.hostPortLow() == spec.hostPortHigh() && spec.hostPortLow() != 0) {
            int port = spec.hostPortLow();
            if (!available(spec.protocol(), spec.hostIp(), port)) {
                throw EngineException.internal("Bind for " + spec.hostIp() + ":" + port + " failed: port is already allocated", null);
            }
            return hold(containerId, spec, port);
        }
        int low = spec.hostPortLow() == 0 ? EPHEMERAL_LOW : spec.hostPortLow();
        int high = spec.hostPortLow() == 0 ? EPHEMERAL_HIGH : spec.hostPortHigh();
        int span = high - low + 1;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = low + (start + i) % span;
            if (available(spec.protocol(), spec.hostIp(), port)) {
                return hold(containerId, spec, port);
            }
        }
        throw EngineException.internal("Bind for " + spec.hostIp() + ":" + low + "-" + high
                + " failed: all ports are allocated", null);
    }

    private boolean available(String protocol, String hostIp, int port) {
        for (String ip : new String[] {hostIp, "0.0.0.0"}) {
            if (holders.containsKey(key(protocol, ip, port))) {
                return false;
            }
        }
        if (hostIp.equals("0.0.0.0")) {
            String prefix = protocol + "/";
            String suffix = ":" + port;
            if (holders.keySet().stream().anyMatch(k -> k.startsWith(prefix) && k.endsWith(suffix))) {
                return false;
            }
        }
        return probe.isFree(protocol, hostIp, port);
    }

    private PublishedPort hold(String containerId, PortSpec spec, int port) {
        holders.put(key(spec.protocol(), spec.hostIp(), port), containerId);
        return new PublishedPort(spec.protocol(), spec.containerPort(), spec.hostIp(), port);
    }

    /** Marks ports on record as held again, after a restart. */
    public synchronized void reserve(String containerId, List<PublishedPort> ports) {
        for (PublishedPort port : ports) {
            holders.put(key(port.protocol(), port.hostIp(), port.hostPort()), containerId);
        }
    }

    public synchronized void release(List<PublishedPort> ports) {
        for (PublishedPort port : ports) {
            holders.remove(key(port.protocol(), port.hostIp(), port.hostPort()));
        }
    }

    private static String key(String protocol, String hostIp, int port) {
        return protocol + "/" + hostIp + ":" + port;
    }

    private static boolean bindable(String protocol, String hostIp, int port) {
        InetSocketAddress address = new InetSocketAddress(hostIp, port);
        try {
            if (protocol.equals("udp")) {
                try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
                    channel.bind(address);
                }
            } else {
                try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
                    channel.bind(address);
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
