package dev.berth.net;

import dev.berth.bus.JobBus;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.WorkerKind;
import dev.berth.bus.contract.network.NetworkJobTypes;
import dev.berth.host.NetworkLinks;
import dev.berth.host.NetworkNamespaces;
import dev.berth.net.bridge.BridgeDriver;
import dev.berth.net.bridge.BridgeSettings;
import dev.berth.net.bridge.DefaultBridgeNetwork;
import dev.berth.net.bridge.HostCommands;
import dev.berth.net.endpoint.EndpointStore;
import dev.berth.net.network.NetworkService;
import dev.berth.net.ports.PortAllocator;
import dev.berth.net.network.PredefinedNetworks;
import dev.berth.net.sandbox.SandboxService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.time.Instant;

/**
 * Wiring of the network worker: its jobs. Listing and finding networks is computation and runs
 * on the verticle's context; namespaces, devices and rules are system calls and processes, and
 * run on the worker's own pool. The default bridge is set up (and reconciled) before the worker
 * serves any job.
 */
public final class NetworkWorkerVerticle extends VerticleBase {
    private final JobBus bus;
    private final NetworkOptions options;
    private WorkerExecutor blocking;

    public NetworkWorkerVerticle(JobBus bus, NetworkOptions options) {
        this.bus = bus;
        this.options = options;
    }

    @Override
    public Future<?> start() {
        blocking = vertx.createSharedWorkerExecutor("berth-network", 2);
        Instant started = Instant.now();
        return blocking.executeBlocking(this::setUpDefaultBridge, false).compose(bridge -> {
            SandboxService sandboxes = new SandboxService(options.namespaceDir(), NetworkNamespaces.linux(), bridge);
            BridgeSettings settings = bridge.settings();
            NetworkService networks = new NetworkService(new PredefinedNetworks(bus.localNode(), started,
                    settings.bridgeName(), settings.subnet().toString(), settings.gatewayAddress()));
            JobRoutes routes = new JobRoutes()
                    .on(NetworkJobTypes.LIST, args -> Future.succeededFuture(networks.list(args.filters())))
                    .on(NetworkJobTypes.INSPECT, args -> Future.succeededFuture(networks.inspect(args.ref(), args.scope())))
                    .on(NetworkJobTypes.SANDBOX_CREATE, request -> blocking.executeBlocking(
                            () -> sandboxes.create(request), false))
                    .on(NetworkJobTypes.SANDBOX_REMOVE, request -> blocking.executeBlocking(() -> {
                        sandboxes.remove(request.containerId());
                        return null;
                    }, false));
            return bus.serve(WorkerKind.NETWORK, routes);
        });
    }

    private DefaultBridgeNetwork setUpDefaultBridge() throws Exception {
        HostCommands commands = HostCommands.processes();
        BridgeSettings settings = BridgeSettings.choose(options.bridgeName(), options.bip(),
                BridgeDriver.existingAddress(commands, options.bridgeName()), options.addressPools(),
                BridgeDriver.hostRoutes(commands));
        DefaultBridgeNetwork bridge = new DefaultBridgeNetwork(PredefinedNetworks.idOf(bus.localNode(), "bridge"),
                new BridgeDriver(settings, commands, NetworkLinks.linux()), new EndpointStore(options.endpointDir()), PortAllocator.withSocketProbe());
        bridge.reconcile();
        return bridge;
    }

    @Override
    public Future<?> stop() {
        return blocking.close();
    }
}
