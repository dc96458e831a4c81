package dev.berth.net.network;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.network.CreateNetwork;
import dev.berth.bus.contract.network.IpamConfig;
import dev.berth.bus.contract.network.NetworkAttachment;
import dev.berth.bus.contract.network.NetworkView;
import dev.berth.bus.contract.network.PrunedNetworks;
import dev.berth.net.bridge.AddressPool;
import dev.berth.net.bridge.AddressPoolSpec;
import dev.berth.net.bridge.BridgeDriver;
import dev.berth.net.bridge.BridgeNetwork;
import dev.berth.net.bridge.BridgeNetworks;
import dev.berth.net.bridge.BridgeSettings;
import dev.berth.net.bridge.HostCommands;
import dev.berth.net.bridge.Ipv4Subnet;
import dev.berth.net.dns.EmbeddedDns;
import dev.berth.host.NetworkLinks;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * User-defined bridge networks: create (checked as dockerd checks), remove, prune, and their
 * views with the containers attached. The predefined networks are {@link PredefinedNetworks}.
 */
public final class NetworkManager {
    /** The one -o option Berth acts on; any other is refused rather than ignored. */
    static final String BRIDGE_NAME_OPTION = "com.docker.network.bridge.name";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PredefinedNetworks predefined;
    private final UserNetworkStore store;
    private final BridgeNetworks bridges;
    private final HostCommands commands;
    private final NetworkLinks links;
    private final List<AddressPoolSpec> pools;
    private final Map<String, EmbeddedDns> dnsServers = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile NetworkEvents events = NetworkEvents.NONE;

    /** daemon.json {@code dns}: where the embedded servers relay, as dockerd's; empty for the host's resolvers. */
    private final List<String> upstreamDns;

    public NetworkManager(PredefinedNetworks predefined, UserNetworkStore store, BridgeNetworks bridges, HostCommands commands,
            NetworkLinks links, List<AddressPoolSpec> pools, List<String> upstreamDns) {
        this.upstreamDns = List.copyOf(upstreamDns);
        this.predefined = predefined;
        this.store = store;
        this.bridges = bridges;
        this.commands = commands;
        this.links = links;
        this.pools = pools;
    }

    /** Where network events go; set once at wiring, before any job. */
    public void announceTo(NetworkEvents sink) {
        this.events = sink;
    }

    /** The network events of this worker (create, destroy, connect, disconnect, prune). */
    public NetworkEvents events() {
        return events;
    }

    /** At start: every stored network gets its bridge and rules back, and its endpoints reconciled. */
    public void restore() throws IOException {
        for (UserNetwork network : store.all()) {
            BridgeNetwork bridge = bridgeOf(network);
            bridge.reconcile();
            bridges.add(bridge);
            startDns(bridge);
        }
    }

    /** Every network, predefined first, each with the containers attached now. */
    public List<NetworkView> all() {
        List<NetworkView> all = new ArrayList<>();
        try {
            for (NetworkView view : predefined.all()) {
                Optional<BridgeNetwork> bridge = bridges.find(view.id());
                all.add(bridge.isPresent() ? view.withContainers(bridge.get().attachments()) : view);
            }
            for (UserNetwork network : store.all()) {
                List<NetworkAttachment> attached = bridges.find(network.id()).isPresent()
                        ? bridges.find(network.id()).get().attachments() : List.of();
                all.add(viewOf(network).withContainers(attached));
            }
        } catch (IOException e) {
            throw EngineException.internal("cannot read the network records: " + e.getMessage(), e);
        }
        return all;
    }

    public String create(CreateNetwork request) throws IOException {
        String name = request.name() == null ? "" : request.name();
        if (name.isEmpty()) {
            throw EngineException.invalid("network name is required");
        }
        if (PredefinedNetworks.isPredefined(name)) {
            throw new EngineException(ErrorKind.FORBIDDEN, "operation is not permitted on predefined " + name + " network ");
        }
        String driver = request.driver() == null || request.driver().isEmpty() ? "bridge" : request.driver();
        if (!driver.equals("bridge")) {
            throw EngineException.invalid("berth does not support network driver " + driver + " yet (only bridge)");
        }
        if (request.enableIpv6()) {
            throw EngineException.invalid("berth does not support IPv6 networks (--ipv6) yet");
        }
        if (request.attachable()) {
            throw EngineException.invalid("berth does not support --attachable: it is for swarm networks");
        }
        if (request.ipamDriver() != null && !request.ipamDriver().isEmpty() && !request.ipamDriver().equals("default")) {
            throw EngineException.invalid("berth does not support IPAM driver " + request.ipamDriver() + " yet");
        }
        for (String option : request.options().keySet()) {
            if (!option.equals(BRIDGE_NAME_OPTION)) {
                throw EngineException.invalid("berth does not support network option " + option + " yet");
            }
        }
        if (request.ipam().size() > 1) {
            throw EngineException.invalid("berth does not support more than one subnet per network yet");
        }
        List<UserNetwork> existing = store.all();
        if (existing.stream().anyMatch(n -> n.name().equals(name))) {
            throw EngineException.conflict("network with name " + name + " already exists");
        }
        String id = randomId();
        String bridgeName = request.options().getOrDefault(BRIDGE_NAME_OPTION, "br-" + id.substring(0, 12));
        BridgeSettings.checkDeviceName(bridgeName);
        if (bridgeName.equals(bridges.defaultBridge().settings().bridgeName())
                || existing.stream().anyMatch(n -> n.bridgeName().equals(bridgeName))) {
            throw EngineException.conflict("bridge name " + bridgeName + " is already used by another network");
        }
        List<Ipv4Subnet> taken = new ArrayList<>();
        taken.add(bridges.defaultBridge().settings().subnet());
        existing.forEach(n -> taken.add(Ipv4Subnet.parse(n.subnet())));
        IpamConfig asked = request.ipam().isEmpty() ? null : request.ipam().get(0);
        Ipv4Subnet subnet;
        if (asked != null && asked.subnet() != null && !asked.subnet().isEmpty()) {
            subnet = Ipv4Subnet.parse(asked.subnet());
            if (taken.stream().anyMatch(subnet::overlaps)) {
                throw new EngineException(ErrorKind.FORBIDDEN, "invalid pool request: Pool overlaps with other one on this address space");
            }
        } else {
            if (asked != null && (asked.gateway() != null && !asked.gateway().isEmpty() || asked.ipRange() != null && !asked.ipRange().isEmpty())) {
                throw EngineException.invalid("berth needs --subnet with --gateway or --ip-range");
            }
            List<Ipv4Subnet> avoid = new ArrayList<>(taken);
            avoid.addAll(BridgeDriver.hostRoutes(commands));
            subnet = BridgeSettings.choose(bridgeName, null, Optional.empty(), pools, avoid).subnet();
        }
        long gateway = asked != null && asked.gateway() != null && !asked.gateway().isEmpty()
                ? Ipv4Subnet.parseAddress(asked.gateway()) : subnet.network() + 1;
        if (!subnet.contains(gateway)) {
            throw EngineException.invalid("no matching subnet for gateway " + Ipv4Subnet.format(gateway));
        }
        String ipRange = asked == null || asked.ipRange() == null || asked.ipRange().isEmpty() ? null : asked.ipRange();
        if (ipRange != null) {
            new AddressPool(subnet, gateway, Ipv4Subnet.parse(ipRange));
        }
        new BridgeSettings(bridgeName, subnet, gateway);
        boolean subnetChosen = asked == null || asked.subnet() == null || asked.subnet().isEmpty();
        UserNetwork network = new UserNetwork(id, name, Instant.now().toString(), request.internal(), bridgeName, subnet.toString(),
                Ipv4Subnet.format(gateway), ipRange, request.options(), request.labels(), subnetChosen);
        BridgeNetwork bridge = bridgeOf(network);
        try {
            bridge.driver().install();
            startDns(bridge);
            store.save(network);
        } catch (IOException | RuntimeException e) {
            EmbeddedDns dns = dnsServers.remove(id);
            if (dns != null) {
                dns.close();
            }
            bridge.driver().teardown();
            store.delete(id);
            throw e;
        }
        bridges.add(bridge);
        events.created(id, name, driver);
        return id;
    }

    /** CONFLICT while containers are attached, as dockerd answers. */
    public void remove(NetworkView view) throws IOException {
        if (PredefinedNetworks.isPredefined(view.name())) {
            throw new EngineException(ErrorKind.FORBIDDEN, view.name() + " is a pre-defined network and cannot be removed");
        }
        BridgeNetwork bridge = bridges.find(view.id()).orElse(null);
        if (bridge != null && !bridge.endpoints().isEmpty()) {
            throw EngineException.conflict("error while removing network: network " + view.name() + " id " + view.id()
                    + " has active endpoints");
        }
        if (bridge != null) {
            EmbeddedDns dns = dnsServers.remove(view.id());
            if (dns != null) {
                dns.close();
            }
            bridge.driver().teardown();
            bridges.remove(view.id());
        }
        store.delete(view.id());
        events.destroyed(view.id(), view.name(), view.driver());
    }

    /** Removes every user network without containers that the label filters keep. */
    public PrunedNetworks prune(Map<String, List<String>> filters) throws IOException {
        for (String key : filters.keySet()) {
            if (!Set.of("label", "label!").contains(key)) {
                throw EngineException.invalid("invalid filter '" + key + "'");
            }
        }
        List<String> deleted = new ArrayList<>();
        for (NetworkView view : all()) {
            if (PredefinedNetworks.isPredefined(view.name()) || !view.containers().isEmpty()) {
                continue;
            }
            if (!labelsMatch(view.labels(), filters.getOrDefault("label", List.of()), true)
                    || !labelsMatch(view.labels(), filters.getOrDefault("label!", List.of()), false)) {
                continue;
            }
            remove(view);
            deleted.add(view.name());
        }
        events.pruned();
        return new PrunedNetworks(deleted);
    }

    private static boolean labelsMatch(Map<String, String> labels, List<String> wanted, boolean positive) {
        for (String filter : wanted) {
            int eq = filter.indexOf('=');
            boolean has = eq < 0 ? labels.containsKey(filter) : filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
            if (has != positive) {
                return false;
            }
        }
        return true;
    }

    /** The network's DNS server on its gateway address; the bridge holds that address by now. */
    private void startDns(BridgeNetwork bridge) throws IOException {
        EmbeddedDns dns = EmbeddedDns.start(bridge.settings().gatewayAddress(), 53,
                (name, client) -> bridges.resolveName(bridge, name, client), upstreams());
        dnsServers.put(bridge.id(), dns);
    }

    private List<java.net.InetSocketAddress> upstreams() {
        if (!upstreamDns.isEmpty()) {
            return upstreamDns.stream().map(server -> new java.net.InetSocketAddress(server, 53)).toList();
        }
        try {
            return EmbeddedDns.hostResolvers(java.nio.file.Files.readString(java.nio.file.Path.of("/etc/resolv.conf")));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Stops the DNS servers (the worker is stopping). */
    public void close() {
        dnsServers.values().forEach(EmbeddedDns::close);
        dnsServers.clear();
    }

    private BridgeNetwork bridgeOf(UserNetwork network) {
        Ipv4Subnet subnet = Ipv4Subnet.parse(network.subnet());
        long gateway = Ipv4Subnet.parseAddress(network.gateway());
        BridgeSettings settings = new BridgeSettings(network.bridgeName(), subnet, gateway);
        AddressPool pool = network.ipRange() == null ? new AddressPool(subnet, gateway)
                : new AddressPool(subnet, gateway, Ipv4Subnet.parse(network.ipRange()));
        return new BridgeNetwork(network.id(), network.name(), new BridgeDriver(settings, commands, links, network.internal()), pool,
                bridges.store(), bridges.ports(), List.of(network.gateway()), !Boolean.TRUE.equals(network.subnetChosen()),
                bridges.reaper());
    }

    static NetworkView viewOf(UserNetwork network) {
        return new NetworkView(network.id(), network.name(), "bridge", "local", network.created(), network.internal(), false,
                List.of(new IpamConfig(network.subnet(), network.gateway(), network.ipRange())), network.options(), network.labels());
    }

    private static String randomId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
