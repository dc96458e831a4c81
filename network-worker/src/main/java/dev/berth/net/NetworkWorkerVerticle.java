package dev.berth.net;

import dev.berth.bus.JobBus;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.WorkerKind;
import dev.berth.bus.contract.network.NetworkCreated;
import dev.berth.bus.contract.network.NetworkJobTypes;
import dev.berth.host.NetworkLinks;
import dev.berth.host.NetworkNamespaces;
import dev.berth.net.bridge.AddressPool;
import dev.berth.net.bridge.BridgeDriver;
import dev.berth.net.bridge.BridgeNetwork;
import dev.berth.net.bridge.BridgeNetworks;
import dev.berth.net.bridge.BridgeSettings;
import dev.berth.net.bridge.HostCommands;
import dev.berth.net.bridge.VethReaper;
import dev.berth.net.endpoint.EndpointStore;
import dev.berth.net.network.NetworkEvents;
import dev.berth.net.network.NetworkManager;
import dev.berth.net.network.NetworkService;
import dev.berth.net.network.PredefinedNetworks;
import dev.berth.net.network.UserNetworkStore;
import dev.berth.net.ports.PortAllocator;
import dev.berth.net.sandbox.LinuxSpareSandboxes;
import dev.berth.net.sandbox.SandboxPool;
import dev.berth.net.sandbox.SandboxService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.time.Instant;

/**
 * Wiring of the network worker: its jobs. Everything that touches disk, devices or rules runs
 * on the worker's own pool; the default bridge and the stored networks are set up (and
 * reconciled) before the worker serves any job.
 */
public final class NetworkWorkerVerticle extends VerticleBase {
    private final JobBus bus;
    private final NetworkOptions options;
    private WorkerExecutor blocking;
    private NetworkManager manager;
    private VethReaper reaper;
    private SandboxPool pool;

    public NetworkWorkerVerticle(JobBus bus, NetworkOptions options) {
        this.bus = bus;
        this.options = options;
    }

    @Override
    public Future<?> start() {
        blocking = vertx.createSharedWorkerExecutor("berth-network", 2);
        Instant started = Instant.now();
        return blocking.executeBlocking(() -> setUp(started), false).compose(manager -> {
            SandboxPool pool = manager.pool();
            SandboxService sandboxes = new SandboxService(options.namespaceDir(), NetworkNamespaces.linux(), manager.bridges(), pool);
            NetworkService networks = new NetworkService(manager.networks()::all);
            JobRoutes routes = new JobRoutes()
                    .on(NetworkJobTypes.LIST, args -> blocking.executeBlocking(() -> networks.list(args.filters()), false))
                    .on(NetworkJobTypes.INSPECT, args -> blocking.executeBlocking(() -> networks.inspect(args.ref(), args.scope()), false))
                    .on(NetworkJobTypes.CREATE, args -> blocking.executeBlocking(
                            () -> new NetworkCreated(manager.networks().create(args)), false))
                    .on(NetworkJobTypes.REMOVE, args -> blocking.executeBlocking(() -> {
                        manager.networks().remove(networks.inspect(args.ref(), null));
                        return null;
                    }, false))
                    .on(NetworkJobTypes.PRUNE, args -> blocking.executeBlocking(() -> manager.networks().prune(args.filters()), false))
                    .on(NetworkJobTypes.SANDBOX_CREATE, request -> blocking.executeBlocking(() -> sandboxes.create(request), false))
                    .on(NetworkJobTypes.SANDBOX_REMOVE, request -> blocking.executeBlocking(() -> {
                        sandboxes.remove(request.containerId());
                        return null;
                    }, false))
                    .on(NetworkJobTypes.ENDPOINT_CONNECT, request -> blocking.executeBlocking(() -> sandboxes.connect(request), false))
                    .on(NetworkJobTypes.ENDPOINT_DISCONNECT, request -> blocking.executeBlocking(() -> {
                        sandboxes.disconnect(request);
                        return null;
                    }, false));
            return bus.serve(WorkerKind.NETWORK, routes);
        });
    }

    private record Wiring(BridgeNetworks bridges, NetworkManager networks, SandboxPool pool) {
    }

    private Wiring setUp(Instant started) throws Exception {
        HostCommands commands = HostCommands.processes();
        NetworkLinks links = NetworkLinks.linux();
        BridgeSettings settings = BridgeSettings.choose(options.bridgeName(), options.bip(),
                BridgeDriver.existingAddress(commands, options.bridgeName()), options.addressPools(),
                BridgeDriver.hostRoutes(commands));
        EndpointStore endpoints = new EndpointStore(options.endpointDir());
        PortAllocator ports = PortAllocator.withSocketProbe();
        reaper = new VethReaper();
        BridgeNetwork defaultBridge = new BridgeNetwork(PredefinedNetworks.idOf(bus.localNode(), "bridge"), "bridge",
                new BridgeDriver(settings, commands, links), new AddressPool(settings.subnet(), settings.gateway()), endpoints, ports,
                reaper);
        defaultBridge.reconcile();
        LinuxSpareSandboxes.deleteLeftovers(links, settings.bridgeName());
        pool = new SandboxPool(new LinuxSpareSandboxes(NetworkNamespaces.linux(), links, settings.bridgeName()), SandboxPool.SIZE);
        pool.start();
        BridgeNetworks bridges = new BridgeNetworks(defaultBridge, endpoints, ports, reaper);
        PredefinedNetworks predefined = new PredefinedNetworks(bus.localNode(), started, settings.bridgeName(),
                settings.subnet().toString(), settings.gatewayAddress());
        NetworkManager manager = new NetworkManager(predefined, new UserNetworkStore(options.networkDir()), bridges, commands, links,
                options.addressPools(), options.dns());
        manager.announceTo(new NetworkEvents(bus::publish));
        manager.restore();
        this.manager = manager;
        return new Wiring(bridges, manager, pool);
    }

    @Override
    public Future<?> stop() {
        if (manager != null) {
            manager.close();
        }
        // The spare sandboxes, and the veths of removed containers still being deleted, go before
        // the daemon does (live-restore keeps containers' endpoints, and a spare is no container's).
        Future<?> drained = blocking.executeBlocking(() -> {
            if (pool != null) {
                pool.close();
            }
            if (reaper != null) {
                reaper.close();
            }
            return null;
        }, false);
        return drained.eventually(() -> blocking.close());
    }
}
