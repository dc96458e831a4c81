package dev.berth.net;

import dev.berth.bus.JobBus;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.JobTypes;
import dev.berth.bus.WorkerKind;
import dev.berth.host.NetworkNamespaces;
import dev.berth.net.network.PredefinedNetworks;
import dev.berth.net.sandbox.SandboxService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;

/** Wiring of the network worker: its jobs, each run on the worker's own blocking pool. */
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
        PredefinedNetworks networks = new PredefinedNetworks(bus.localNode(), Instant.now());
        JobRoutes routes = new JobRoutes()
                .request(JobTypes.NETWORK_LIST, job -> {
                    JsonArray list = new JsonArray();
                    networks.all().forEach(list::add);
                    return Future.succeededFuture(new JsonObject().put("networks", list));
                })
                .request(JobTypes.NETWORK_INSPECT, job -> Future.succeededFuture(networks.find(job.requireString("ref"))))
                .request(JobTypes.SANDBOX_CREATE, job -> blocking.executeBlocking(() -> {
                    Path netns = sandboxes.create(job.requireString("containerId"), job.args().getString("mode")).orElse(null);
                    return new JsonObject().put("netnsPath", netns == null ? null : netns.toString());
                }, false))
                .request(JobTypes.SANDBOX_REMOVE, job -> blocking.executeBlocking(() -> {
                    sandboxes.remove(job.requireString("containerId"));
                    return new JsonObject();
                }, false));
        return bus.serve(WorkerKind.NETWORK, routes);
    }

    @Override
    public Future<?> stop() {
        return blocking.close();
    }
}
