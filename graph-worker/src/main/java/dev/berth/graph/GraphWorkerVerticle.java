package dev.berth.graph;

import dev.berth.bus.JobBus;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.WorkerKind;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Wiring of the graph worker: images, layers and snapshots. */
public final class GraphWorkerVerticle extends VerticleBase {
    private final JobBus bus;
    private final GraphOptions options;

    public GraphWorkerVerticle(JobBus bus, GraphOptions options) {
        this.bus = bus;
        this.options = options;
    }

    @Override
    public Future<?> start() {
        JobRoutes routes = new JobRoutes();
        return bus.serve(WorkerKind.GRAPH, routes);
    }

    GraphOptions options() {
        return options;
    }
}
