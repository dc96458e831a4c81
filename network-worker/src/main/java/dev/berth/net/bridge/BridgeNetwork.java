package dev.berth.net.bridge;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.network.Endpoint;
import dev.berth.bus.contract.network.NetworkAttachment;
import dev.berth.bus.contract.network.PublishedPort;
import dev.berth.net.endpoint.EndpointStore;
import dev.berth.net.endpoint.StoredEndpoint;
import dev.berth.net.ports.PortAllocator;
import dev.berth.net.ports.PortSpec;
import dev.berth.net.sandbox.EndpointRequest;
import dev.berth.net.sandbox.SpareSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bridge network (the predefined {@code bridge} or a user-defined one): its address pool,
 * its endpoints on record, and the bridge device they are plugged into.
 */
public final class BridgeNetwork {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeNetwork.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final java.util.regex.Pattern MAC = java.util.regex.Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");

    private final String networkId;
    private final String networkName;
    private final BridgeDriver driver;
    private final AddressPool addresses;
    private final EndpointStore store;
    private final PortAllocator ports;
    private final List<String> dnsServers;
    private final boolean userSubnet;
    private final VethReaper reaper;

    public BridgeNetwork(String networkId, String networkName, BridgeDriver driver, AddressPool addresses, EndpointStore store,
            PortAllocator ports, VethReaper reaper) {
        this(networkId, networkName, driver, addresses, store, ports, List.of(), false, reaper);
    }

    /**
     * @param dnsServers the network's embedded DNS that its containers' resolv.conf names
     * @param userSubnet the subnet was given at create (--subnet): only then may a container ask
     *     for its address (--ip), as dockerd allows
     * @param reaper where the veths of released sandboxes are deleted, off the removal path
     */
    public BridgeNetwork(String networkId, String networkName, BridgeDriver driver, AddressPool addresses, EndpointStore store,
            PortAllocator ports, List<String> dnsServers, boolean userSubnet, VethReaper reaper) {
        this.reaper = reaper;
        this.userSubnet = userSubnet;
        this.dnsServers = List.copyOf(dnsServers);
        this.networkId = networkId;
        this.networkName = networkName;
        this.driver = driver;
        this.addresses = addresses;
        this.store = store;
        this.ports = ports;
    }

    public String id() {
        return networkId;
    }

    public String name() {
        return networkName;
    }

    public BridgeSettings settings() {
        return driver.settings();
    }

    public BridgeDriver driver() {
        return driver;
    }

    /**
     * After a restart, and after a crash: endpoints whose namespace still exists keep their
     * address (their container may still run under conmon); the others are undone, and veths
     * on the bridge that no endpoint owns are deleted.
     */
    public void reconcile() throws IOException {
        driver.install();
        Set<String> owned = new java.util.HashSet<>();
        for (StoredEndpoint stored : endpoints()) {
            if (Files.exists(Path.of(stored.netnsPath()))) {
                addresses.reserve(Ipv4Subnet.parseAddress(stored.endpoint().ipAddress()));
                ports.reserve(stored.containerId(), stored.endpoint().ports());
                // install() flushed the bridge's chain: the ports of running containers come back.
                driver.publish(stored.containerId(), stored.endpoint().ipAddress(), stored.endpoint().ports());
                owned.add(stored.hostVeth());
            } else {
                LOG.info("releasing the endpoint of {}, whose namespace is gone", stored.containerId());
                // Its port rules went with the chain flush of install().
                driver.detach(stored.hostVeth());
                store.delete(stored);
            }
        }
        for (String veth : driver.attachedInterfaces()) {
            if (!owned.contains(veth)) {
                LOG.info("deleting {}: on bridge {} without an endpoint", veth, driver.settings().bridgeName());
                driver.detach(veth);
            }
        }
    }

    /** The endpoints on record on this network. */
    public List<StoredEndpoint> endpoints() throws IOException {
        return store.all().stream().filter(e -> e.endpoint().networkId().equals(networkId)).toList();
    }

    /** The address of a container on this network by its name or short id, for the embedded DNS. */
    public java.util.Optional<String> addressOf(String name) {
        try {
            for (StoredEndpoint stored : endpoints()) {
                String container = stored.containerName() == null ? "" : stored.containerName().toLowerCase(java.util.Locale.ROOT);
                boolean alias = stored.aliases() != null
                        && stored.aliases().stream().anyMatch(a -> a.toLowerCase(java.util.Locale.ROOT).equals(name));
                if (name.equals(container) || alias || name.length() >= 12 && stored.containerId().startsWith(name)) {
                    return java.util.Optional.of(stored.endpoint().ipAddress());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read the endpoints of {}: {}", networkName, e.toString());
        }
        return java.util.Optional.empty();
    }

    public List<NetworkAttachment> attachments() throws IOException {
        List<NetworkAttachment> attached = new ArrayList<>();
        for (StoredEndpoint stored : endpoints()) {
            Endpoint endpoint = stored.endpoint();
            attached.add(new NetworkAttachment(stored.containerId(), stored.containerName() == null ? "" : stored.containerName(),
                    endpoint.endpointId(), endpoint.macAddress(), endpoint.ipAddress() + "/" + endpoint.ipPrefixLen()));
        }
        return attached;
    }

    /** The endpoint of the container on this network, if it has one. */
    public java.util.Optional<StoredEndpoint> endpointOf(String containerId) throws IOException {
        return store.find(containerId, networkId);
    }

    /**
     * Plugs the container's namespace into this network as {@code slot} says: which interface
     * inside, which veth outside, and whether the default route goes this way; with a spare
     * sandbox (pinned at netns, its veth waiting as eth0), that veth rather than a new one.
     */
    public Endpoint attach(String containerId, String containerName, Path netns, List<PortSpec> requested, EndpointRequest options,
            InterfaceSlot slot, SpareSandbox spare) throws IOException {
        if (options.ipv4Address() != null && !userSubnet) {
            throw EngineException.invalid("user specified IP address is supported only when connecting to networks with user configured subnets");
        }
        String mac = options.macAddress();
        if (mac != null && !MAC.matcher(mac).matches()) {
            throw EngineException.invalid("invalid MAC address " + mac);
        }
        long wanted = options.ipv4Address() == null ? -1 : Ipv4Subnet.parseAddress(options.ipv4Address());
        if (wanted >= 0 && (!driver.settings().subnet().contains(wanted) || wanted == driver.settings().gateway()
                || wanted == driver.settings().subnet().network() || wanted == driver.settings().subnet().broadcast())) {
            throw EngineException.invalid("no configured subnet or ip-range contain the IP address " + options.ipv4Address());
        }
        List<PublishedPort> published = ports.allocate(containerId, requested);
        long address;
        try {
            if (wanted >= 0) {
                // An address still held by a veth being deleted is free once that is done.
                if (!addresses.reserve(wanted) && !(awaitReaper() && addresses.reserve(wanted))) {
                    throw EngineException.conflict("Address already in use: " + options.ipv4Address());
                }
                address = wanted;
            } else {
                address = addresses.allocate();
            }
        } catch (RuntimeException e) {
            ports.release(published);
            throw e;
        }
        String ip = Ipv4Subnet.format(address);
        Endpoint endpoint = new Endpoint(networkId, networkName, randomId(), ip, driver.settings().subnet().prefixLength(),
                driver.settings().gatewayAddress(), mac != null ? mac : macOf(address), published, dnsServers, options.aliases());
        StoredEndpoint stored = new StoredEndpoint(containerId, containerName, netns.toString(), slot.hostVeth(), endpoint,
                options.aliases(), slot.insideName());
        boolean attached = false;
        try {
            // On record before the veth exists, so that a crash in between is undone at the next start.
            store.save(stored);
            // The container starting again: its previous veth, of the same name, may still be going.
            reaper.awaitGone(stored.hostVeth());
            if (spare != null && slot.insideName().equals("eth0")) {
                // Renamed first thing: from then on the veth goes by the endpoint's name, undone below.
                attached = true;
                driver.attachSpare(spare, stored.hostVeth(), ip, endpoint.macAddress(), slot.defaultRoute());
            } else {
                driver.attach(netns, stored.hostVeth(), slot.insideName(), ip, endpoint.macAddress(), slot.defaultRoute());
                attached = true;
            }
            driver.publish(containerId, ip, published);
            if (!published.isEmpty()) {
                driver.enableHairpin(stored.hostVeth());
            }
            return endpoint;
        } catch (IOException | RuntimeException e) {
            if (attached) {
                driver.detach(stored.hostVeth());
            }
            store.delete(stored);
            addresses.release(address);
            ports.release(published);
            throw e;
        }
    }

    /** Deleting the host end of the veth takes the interface inside the namespace with it. */
    public void detach(StoredEndpoint stored) throws IOException {
        driver.unpublish(stored.containerId(), stored.endpoint().ipAddress(), stored.endpoint().ports());
        driver.detach(stored.hostVeth());
        store.delete(stored);
        addresses.release(Ipv4Subnet.parseAddress(stored.endpoint().ipAddress()));
        ports.release(stored.endpoint().ports());
    }

    /**
     * The endpoint of a sandbox being removed, whose namespace is unpinned already: its port rules
     * and record go now (a host port is free again when this returns), the veth on the reaper's
     * thread, and the address after the veth.
     */
    public void release(StoredEndpoint stored) throws IOException {
        driver.unpublish(stored.containerId(), stored.endpoint().ipAddress(), stored.endpoint().ports());
        store.delete(stored);
        ports.release(stored.endpoint().ports());
        long address = Ipv4Subnet.parseAddress(stored.endpoint().ipAddress());
        reaper.deleteLater(stored.hostVeth(), driver::detach, () -> addresses.release(address));
    }

    private boolean awaitReaper() {
        try {
            reaper.awaitAll();
            return true;
        } catch (IOException e) {
            LOG.warn("waiting for veth deletions: {}", e.toString());
            return false;
        }
    }

    /** Docker's scheme: 02:42 followed by the four bytes of the address, unique on the bridge. */
    static String macOf(long address) {
        return String.format("02:42:%02x:%02x:%02x:%02x", address >> 24 & 255, address >> 16 & 255, address >> 8 & 255, address & 255);
    }


    private static String randomId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
