package dev.berth.net;

import dev.berth.bus.JobBus;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.WorkerKind;
import dev.berth.bus.contract.network.NetworkJobTypes;
import dev.berth.bus.contract.network.Sandbox;
import dev.berth.host.NetworkNamespaces;
import dev.berth.net.network.NetworkService;
import dev.berth.net.network.PredefinedNetworks;
import dev.berth.net.sandbox.SandboxService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.time.Instant;

/**
 * Wiring of the network worker: its jobs. Listing and finding networks is computation and runs
 * on the verticle's context; namespaces are system calls and run on the worker's own pool.
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
        SandboxService sandboxes = new SandboxService(options.namespaceDir(), NetworkNamespaces.linux());
        NetworkService networks = new NetworkService(new PredefinedNetworks(bus.localNode(), Instant.now()));
        JobRoutes routes = new JobRoutes()
                .on(NetworkJobTypes.LIST, args -> Future.succeededFuture(networks.list(args.filters())))
                .on(NetworkJobTypes.INSPECT, args -> Future.succeededFuture(networks.inspect(args.ref(), args.scope())))
                .on(NetworkJobTypes.SANDBOX_CREATE, request -> blocking.executeBlocking(
                        () -> new Sandbox(sandboxes.create(request.containerId(), request.mode()).map(Object::toString).orElse(null)),
                        false))
                .on(NetworkJobTypes.SANDBOX_REMOVE, request -> blocking.executeBlocking(() -> {
                    sandboxes.remove(request.containerId());
                    return null;
                }, false));
        return bus.serve(WorkerKind.NETWORK, routes);
    }

    @Override
    public Future<?> stop() {
        return blocking.close();
    }
}
