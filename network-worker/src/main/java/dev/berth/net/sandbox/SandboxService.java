package dev.berth.net.sandbox;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.network.ConnectEndpoint;
import dev.berth.bus.contract.network.DisconnectEndpoint;
import dev.berth.bus.contract.network.Endpoint;
import dev.berth.bus.contract.network.Sandbox;
import dev.berth.bus.contract.network.SandboxRequest;
import dev.berth.host.NetworkNamespaces;
import dev.berth.net.ports.PortSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's network sandbox: the network namespace it joins, pinned under the namespace
 * directory by container id, with loopback up, and for the default bridge an endpoint on it.
 */
public final class SandboxService {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxService.class);
    private static final Pattern CONTAINER_ID = Pattern.compile("[0-9a-f]{64}");

    private final Path namespaceDir;
    private final NetworkNamespaces namespaces;
    private final NetworkAttachments bridge;
    private final SandboxPool pool;

    public SandboxService(Path namespaceDir, NetworkNamespaces namespaces, NetworkAttachments bridge) {
        this(namespaceDir, namespaces, bridge, null);
    }

    /** @param pool default-bridge sandboxes made ahead of time; null to make each at start */
    public SandboxService(Path namespaceDir, NetworkNamespaces namespaces, NetworkAttachments bridge, SandboxPool pool) {
        this.namespaceDir = namespaceDir;
        this.namespaces = namespaces;
        this.bridge = bridge;
        this.pool = pool;
    }

    public Sandbox create(String containerId, String mode) throws IOException {
        return create(new SandboxRequest(containerId, mode));
    }

    /**
     * Makes the sandbox for a network mode: the namespace the runtime should join (null for the
     * host's own) and the endpoints made in it. A failure leaves nothing behind.
     */
    public Sandbox create(SandboxRequest request) throws IOException {
        String containerId = request.containerId();
        String mode = request.mode();
        Path pin = pinOf(containerId);
        NetworkMode parsed = NetworkMode.parse(mode);
        // Parsed before anything is made, so that a bad binding leaves nothing to undo.
        List<PortSpec> ports = PortSpec.of(request.portBindings(), request.publishAllPorts(), request.exposedPorts());
        EndpointRequest options = new EndpointRequest(request.aliases(), request.ipv4Address(), request.macAddress());
        if (!options.isEmpty() && parsed != NetworkMode.USER && parsed != NetworkMode.BRIDGE) {
            throw EngineException.invalid("--ip, --mac-address and --network-alias need a bridge network, not " + mode);
        }
        switch (parsed) {
            case HOST:
                return new Sandbox(null, List.of());
            case NONE:
            case BRIDGE:
            case USER:
                String network = parsed == NetworkMode.USER ? bridge.resolve(mode) : null;
                remove(containerId);
                long started = System.nanoTime();
                SpareSandbox spare = parsed == NetworkMode.BRIDGE && pool != null ? pool.take() : null;
                try {
                    if (spare != null) {
                        spare.pin(pin);
                    } else {
                        namespaces.create(pin);
                    }
                    long made = System.nanoTime();
                    if (parsed == NetworkMode.NONE) {
                        LOG.debug("sandbox of {} made: namespace {} us", containerId, (made - started) / 1000);
                        return new Sandbox(pin.toString(), List.of());
                    }
                    try {
                        Endpoint endpoint = bridge.attach(containerId, request.containerName(), pin,
                                network == null ? "bridge" : network, ports, options, spare);
                        LOG.debug("sandbox of {} made{}: namespace {} us, endpoint {} us", containerId,
                                spare != null ? " from the pool" : "", (made - started) / 1000, (System.nanoTime() - made) / 1000);
                        return new Sandbox(pin.toString(), List.of(endpoint));
                    } catch (IOException | RuntimeException e) {
                        namespaces.delete(pin);
                        throw e;
                    }
                } finally {
                    // Pinned, the namespace is the container's now; otherwise it goes with these descriptors.
                    if (spare != null) {
                        spare.close();
                    }
                    if (parsed == NetworkMode.BRIDGE && pool != null) {
                        pool.refill();
                    }
                }
            default:
                throw EngineException.invalid("network mode " + mode + " is not handled by the network worker");
        }
    }

    /**
     * docker network connect on a running container: one more endpoint in the namespace this
     * worker made for it at start. A container without one (host, none, container:, or one that
     * no longer runs) is refused before anything is made.
     */
    public Endpoint connect(ConnectEndpoint request) throws IOException {
        Path pin = pinOf(request.containerId());
        if (request.netnsPath() == null || !Path.of(request.netnsPath()).equals(pin) || !Files.exists(pin)) {
            throw EngineException.conflict("container " + request.containerId() + " has no network sandbox of its own to connect");
        }
        String network = bridge.resolve(request.network());
        return bridge.attach(request.containerId(), request.containerName(), pin, network, List.of(),
                new EndpointRequest(request.aliases(), request.ipv4Address(), null), null);
    }

    /** docker network disconnect: the endpoint goes, with its interface inside the namespace. */
    public void disconnect(DisconnectEndpoint request) throws IOException {
        pinOf(request.containerId());
        bridge.detach(request.containerId(), request.networkId());
    }

    /**
     * Releases the container's endpoints and its namespace; an absent sandbox is not an error.
     * The veths are deleted in the background (see {@code VethReaper}): the kernel's deletion of a
     * device is most of what the bridge cost a container's exit.
     */
    public void remove(String containerId) throws IOException {
        Path pin = pinOf(containerId);
        long started = System.nanoTime();
        // The namespace first: unpinned, the kernel tears it down with its end of each veth pair,
        // and the host ends with them, even if the daemon dies before deleting them itself.
        if (Files.exists(pin)) {
            namespaces.delete(pin);
        }
        long unpinned = System.nanoTime();
        bridge.detach(containerId);
        LOG.debug("sandbox of {} removed: namespace {} us, endpoints {} us", containerId, (unpinned - started) / 1000,
                (System.nanoTime() - unpinned) / 1000);
    }

    private Path pinOf(String containerId) {
        if (containerId == null || !CONTAINER_ID.matcher(containerId).matches()) {
            throw EngineException.invalid("invalid container id " + containerId);
        }
        return namespaceDir.resolve(containerId);
    }
}
