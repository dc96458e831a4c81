package dev.berth.exec.container;

import dev.berth.bus.EngineEvent;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.container.ConnectContainer;
import dev.berth.bus.contract.container.NetworkingConfig;
import dev.berth.bus.contract.container.NetworkingConfig.EndpointSettings;
import dev.berth.bus.contract.network.ConnectEndpoint;
import dev.berth.bus.contract.network.DisconnectEndpoint;
import dev.berth.bus.contract.network.Endpoint;
import dev.berth.bus.contract.network.IpamConfig;
import dev.berth.bus.contract.network.NetworkView;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * docker network connect and disconnect: the container's list of networks changes on record,
 * and a running container's sandbox, /etc/hosts and resolv.conf change with it, as in dockerd.
 * Checked as dockerd checks, with its messages.
 */
final class NetworkConnections {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkConnections.class);
    static final String SHARED_NETWORK =
            "container sharing network namespace with another container or host cannot be connected to any other network";
    static final String HOST_NETWORK = "container cannot be disconnected from host network or connected to host network";
    static final String NO_NETWORK = "container cannot be connected to multiple networks with one of the networks in private (none) mode";

    private final LifecycleContext context;

    NetworkConnections(LifecycleContext context) {
        this.context = context;
    }

    CompletableFuture<Void> connect(Container c, ConnectContainer args) {
        String mode = c.hostConfig().effectiveNetworkMode();
        if (args.network().equals("host")) {
            throw EngineException.invalid(HOST_NETWORK);
        }
        if (mode.startsWith("container:") || mode.equals("host")) {
            throw EngineException.invalid(SHARED_NETWORK);
        }
        if (mode.equals("none") || args.network().equals("none")) {
            throw EngineException.invalid(NO_NETWORK);
        }
        return c.serially(context.blocking, () -> context.peers.inspectNetwork(args.network()).thenComposeAsync(network -> {
            Map<String, EndpointSettings> joined = ContainerNetworks.joined(c);
            if (ContainerNetworks.keyOf(joined, network) != null) {
                throw new EngineException(ErrorKind.FORBIDDEN, "endpoint with name " + c.name() + " already exists in network "
                        + network.name());
            }
            checkAsked(network, args, !hasSandbox(c));
            Map<String, EndpointSettings> after = new LinkedHashMap<>(joined);
            after.put(network.name(), settingsOf(args));
            if (!hasSandbox(c)) {
                record(c, after);
                publish(network, c, "connect");
                return CompletableFuture.<Void>completedFuture(null);
            }
            ConnectEndpoint request = new ConnectEndpoint(c.id(), c.name(), c.netnsPath(), network.id(), args.aliases(),
                    args.ipv4Address());
            return context.peers.connectEndpoint(request).thenAcceptAsync(endpoint -> {
                List<Endpoint> before = c.endpoints();
                List<Endpoint> now = new ArrayList<>(before);
                now.add(endpoint);
                c.attachedTo(now);
                try {
                    record(c, after);
                } catch (RuntimeException e) {
                    c.attachedTo(before);
                    context.peers.disconnectEndpoint(new DisconnectEndpoint(c.id(), network.id()));
                    throw e;
                }
                rewriteHostFiles(c, before, now);
                publish(network, c, "connect");
            }, context.blocking);
        }, context.blocking));
    }

    /**
     * With force, a network that no longer exists still leaves the record, and a sandbox that
     * cannot release its endpoint does not keep the container on the network.
     */
    CompletableFuture<Void> disconnect(Container c, String networkRef, boolean force) {
        return c.serially(context.blocking, () -> context.peers.inspectNetwork(networkRef).handle((network, failure) -> {
            if (failure == null) {
                return network;
            }
            EngineException error = EngineException.from(failure);
            if (force && error.kind() == ErrorKind.NOT_FOUND && ContainerNetworks.joined(c).containsKey(networkRef)) {
                return null;
            }
            throw error;
        }).thenComposeAsync(network -> {
            Map<String, EndpointSettings> joined = ContainerNetworks.joined(c);
            if (network == null) {
                Map<String, EndpointSettings> after = new LinkedHashMap<>(joined);
                after.remove(networkRef);
                record(c, after);
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (network.name().equals("host")) {
                throw EngineException.invalid(HOST_NETWORK);
            }
            String key = ContainerNetworks.keyOf(joined, network);
            if (key == null) {
                // dockerd answers this with a plain error, a 500.
                throw EngineException.internal("container " + c.id() + " is not connected to network " + network.name(), null);
            }
            if (network.name().equals("none")) {
                throw EngineException.invalid(NO_NETWORK);
            }
            Map<String, EndpointSettings> after = new LinkedHashMap<>(joined);
            after.remove(key);
            Endpoint endpoint = hasSandbox(c)
                    ? c.endpoints().stream().filter(e -> e.networkId().equals(network.id())).findFirst().orElse(null) : null;
            if (endpoint == null) {
                record(c, after);
                publish(network, c, "disconnect");
                return CompletableFuture.<Void>completedFuture(null);
            }
            return context.peers.disconnectEndpoint(new DisconnectEndpoint(c.id(), network.id())).handle((v, released) -> {
                if (released != null && !force) {
                    throw EngineException.from(released);
                }
                if (released != null) {
                    LOG.warn("forced disconnect of {} from {}: {}", c.id(), network.name(), released.getMessage());
                }
                return null;
            }).thenAcceptAsync(v -> {
                List<Endpoint> before = c.endpoints();
                List<Endpoint> now = before.stream().filter(e -> !e.networkId().equals(network.id())).toList();
                c.attachedTo(now);
                record(c, after);
                rewriteHostFiles(c, before, now);
                publish(network, c, "disconnect");
            }, context.blocking);
        }, context.blocking));
    }

    /** The sandbox is the network worker's (not the host's, nor another container's) and there now. */
    private static boolean hasSandbox(Container c) {
        return (c.status() == Status.RUNNING || c.status() == Status.PAUSED) && c.ownsSandbox() && c.netnsPath() != null;
    }

    /**
     * Aliases and --ip on the default bridge are refused at once; a stopped container's --ip is
     * checked against the subnet now, a running one's by the network worker as it makes the
     * endpoint (which also knows whether the subnet was the user's).
     */
    private static void checkAsked(NetworkView network, ConnectContainer args, boolean stopped) {
        boolean defaultBridge = network.name().equals("bridge");
        if (defaultBridge && args.ipv4Address() != null) {
            throw EngineException.invalid("user specified IP address is supported on user defined networks only");
        }
        if (defaultBridge && !args.aliases().isEmpty()) {
            throw EngineException.invalid("network-scoped alias is supported only for containers in user defined networks");
        }
        if (stopped && args.ipv4Address() != null) {
            byte[] address = ipv4(args.ipv4Address());
            boolean inSubnet = network.ipam().stream().map(IpamConfig::subnet).anyMatch(subnet -> contains(subnet, address));
            if (!inSubnet) {
                throw EngineException.invalid("no configured subnet or ip-range contain the IP address " + args.ipv4Address());
            }
        }
    }

    private static byte[] ipv4(String text) {
        try {
            if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                throw new UnknownHostException(text);
            }
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw EngineException.invalid("invalid IPv4 address: " + text);
        }
    }

    private static boolean contains(String cidr, byte[] address) {
        if (cidr == null || !cidr.contains("/")) {
            return false;
        }
        byte[] network = ipv4(cidr.substring(0, cidr.indexOf('/')));
        int prefix = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
        long mask = prefix == 0 ? 0 : 0xffffffffL << (32 - prefix) & 0xffffffffL;
        return (toLong(network) & mask) == (toLong(address) & mask);
    }

    private static long toLong(byte[] bytes) {
        return (bytes[0] & 255L) << 24 | (bytes[1] & 255L) << 16 | (bytes[2] & 255L) << 8 | bytes[3] & 255L;
    }

    private static EndpointSettings settingsOf(ConnectContainer args) {
        return new EndpointSettings(args.ipv4Address() == null ? null : new NetworkingConfig.IpamConfig(args.ipv4Address(), null, null),
                null, args.aliases().isEmpty() ? null : args.aliases(), null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    /** The new list of networks on record; the old one stays in memory if it cannot be written. */
    private void record(Container c, Map<String, EndpointSettings> networks) {
        NetworkingConfig before = c.networkingConfig();
        boolean chosenBefore = c.networksChosen();
        c.chooseNetworks(networks);
        try {
            context.persist(c);
        } catch (RuntimeException e) {
            c.restoreNetworks(before, chosenBefore);
            throw EngineException.internal("cannot record the networks of " + c.id() + ": " + e.getMessage(), e);
        }
    }

    private void rewriteHostFiles(Container c, List<Endpoint> before, List<Endpoint> after) {
        try {
            HostFiles.rewriteForNetworks(c.stateDir(), c.hostname(), before.stream().map(Endpoint::ipAddress).toList(),
                    after.stream().map(Endpoint::ipAddress).toList(),
                    ContainerNetworks.nameServers(c, after, context.settings.defaultDns()),
                    orEmpty(c.hostConfig().dnsSearch()), orEmpty(c.hostConfig().dnsOptions()));
        } catch (IOException e) {
            // The network change is made and on record; only the names inside lag behind.
            LOG.warn("cannot rewrite /etc/hosts and resolv.conf of {}: {}", c.id(), e.toString());
        }
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    /** dockerd's network event: the network as actor, the container among its attributes. */
    private void publish(NetworkView network, Container c, String action) {
        context.peers.publish(EngineEvent.now("network", action, network.id(),
                Map.of("container", c.id(), "name", network.name(), "type", network.driver())));
    }
}
