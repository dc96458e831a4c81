package dev.berth.net.bridge;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.network.Endpoint;
import dev.berth.net.endpoint.EndpointStore;
import dev.berth.net.endpoint.StoredEndpoint;
import dev.berth.net.ports.PortAllocator;
import dev.berth.net.ports.PortSpec;
import dev.berth.net.sandbox.EndpointRequest;
import dev.berth.net.sandbox.NetworkAttachments;
import dev.berth.net.sandbox.SpareSandbox;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's bridge networks, the default one and the user-defined ones, by id: where a
 * container's endpoint goes and, from its record, which network takes it back.
 */
public final class BridgeNetworks implements NetworkAttachments {
    private final BridgeNetwork defaultBridge;
    private final Map<String, BridgeNetwork> byId = new ConcurrentHashMap<>();
    private final EndpointStore store;
    private final PortAllocator ports;
    private final Map<String, Object> attachLocks = new ConcurrentHashMap<>();
    private final VethReaper reaper;

    public BridgeNetworks(BridgeNetwork defaultBridge, EndpointStore store, PortAllocator ports, VethReaper reaper) {
        this.reaper = reaper;
        this.defaultBridge = defaultBridge;
        this.store = store;
        this.ports = ports;
        byId.put(defaultBridge.id(), defaultBridge);
    }

    public BridgeNetwork defaultBridge() {
        return defaultBridge;
    }

    public EndpointStore store() {
        return store;
    }

    public PortAllocator ports() {
        return ports;
    }

    /** Where every network's released veths are deleted. */
    public VethReaper reaper() {
        return reaper;
    }

    public void add(BridgeNetwork network) {
        byId.put(network.id(), network);
    }

    public Optional<BridgeNetwork> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public List<BridgeNetwork> all() {
        return new ArrayList<>(byId.values());
    }

    public void remove(String id) {
        byId.remove(id);
    }

    /** "bridge", "default" and "" are the default bridge; anything else a user network by id, name or id prefix. */
    @Override
    public String resolve(String network) {
        if (network == null || network.isEmpty() || network.equals("default") || network.equals("bridge")) {
            return defaultBridge.id();
        }
        BridgeNetwork exact = byId.get(network);
        if (exact != null) {
            return exact.id();
        }
        for (BridgeNetwork candidate : byId.values()) {
            if (candidate.name().equals(network) && candidate != defaultBridge) {
                return candidate.id();
            }
        }
        List<BridgeNetwork> byPrefix = byId.values().stream().filter(n -> n.id().startsWith(network)).toList();
        if (byPrefix.size() == 1) {
            return byPrefix.get(0).id();
        }
        throw EngineException.notFound("network " + network + " not found");
    }

    @Override
    public Endpoint attach(String containerId, String containerName, Path netns, String network, List<PortSpec> requested,
            EndpointRequest options, SpareSandbox spare) throws IOException {
        BridgeNetwork target = byId.get(resolve(network));
        if (target == null) {
            throw EngineException.notFound("network " + network + " not found");
        }
        if (target == defaultBridge && (!options.aliases().isEmpty() || options.ipv4Address() != null)) {
            throw EngineException.invalid(options.ipv4Address() != null
                    ? "user specified IP address is supported on user defined networks only"
                    : "network-scoped alias is supported only for containers in user defined networks");
        }
        // One container's attachments one at a time (its slot and the duplicate check depend on
        // the others); different containers' go side by side.
        synchronized (attachLocks.computeIfAbsent(containerId, id -> new Object())) {
            List<StoredEndpoint> existing = store.ofContainer(containerId);
            if (existing.stream().anyMatch(e -> e.endpoint().networkId().equals(target.id()))) {
                throw new EngineException(ErrorKind.FORBIDDEN, "endpoint with name " + containerName + " already exists in network "
                        + target.name());
            }
            return target.attach(containerId, containerName, netns, requested, options, nextSlot(containerId, existing), spare);
        }
    }

    /** The lowest ethN the container's endpoints leave free; the default route only for its first endpoint. */
    private static InterfaceSlot nextSlot(String containerId, List<StoredEndpoint> existing) {
        java.util.Set<String> taken = new java.util.HashSet<>();
        existing.forEach(e -> taken.add(e.insideName()));
        for (int index = 0; index <= InterfaceSlot.MAX_INDEX; index++) {
            if (!taken.contains("eth" + index)) {
                return InterfaceSlot.of(containerId, index, existing.isEmpty());
            }
        }
        throw EngineException.conflict("container " + containerId + " has no free interface name left");
    }

    /**
     * Every endpoint of the container goes, its namespace being unpinned already: records, port
     * rules and host ports now, the veths and then their addresses in the background.
     */
    @Override
    public void detach(String containerId) throws IOException {
        for (StoredEndpoint stored : store.ofContainer(containerId)) {
            BridgeNetwork network = byId.get(stored.endpoint().networkId());
            if (network != null) {
                network.release(stored);
            } else {
                store.delete(stored);
            }
        }
        attachLocks.remove(containerId);
    }

    /** The container's endpoint on one network goes, with its interface, before this returns; none there is not an error. */
    public void detach(String containerId, String networkId) throws IOException {
        StoredEndpoint stored = store.find(containerId, networkId).orElse(null);
        if (stored != null) {
            detachNow(stored);
        }
    }

    private void detachNow(StoredEndpoint stored) throws IOException {
        BridgeNetwork network = byId.get(stored.endpoint().networkId());
        if (network != null) {
            network.detach(stored);
        } else {
            store.delete(stored);
        }
    }

    /**
     * What the embedded DNS of {@code asked} answers for a name: a container of that network, else
     * (as dockerd resolves names in every network of the asking container) one of another network
     * the asking container, found by its address on {@code asked}, is attached to.
     */
    public Optional<String> resolveName(BridgeNetwork asked, String name, String clientAddress) {
        Optional<String> own = asked.addressOf(name);
        if (own.isPresent() || clientAddress == null) {
            return own;
        }
        try {
            List<StoredEndpoint> all = store.all();
            String client = all.stream().filter(e -> e.endpoint().networkId().equals(asked.id())
                    && e.endpoint().ipAddress().equals(clientAddress)).map(StoredEndpoint::containerId).findFirst().orElse(null);
            if (client == null) {
                return Optional.empty();
            }
            for (StoredEndpoint mine : all) {
                BridgeNetwork other = mine.containerId().equals(client) ? byId.get(mine.endpoint().networkId()) : null;
                if (other != null && other != asked && other != defaultBridge) {
                    Optional<String> found = other.addressOf(name);
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
