package dev.berth.log;

import dev.berth.bus.JobBus;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.WorkerKind;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Wiring of the log worker: reading and following container logs. */
public final class LogStreamVerticle extends VerticleBase {
    private final JobBus bus;

    public LogStreamVerticle(JobBus bus) {
        this.bus = bus;
    }

    @Override
    public Future<?> start() {
        return bus.serve(WorkerKind.LOGS, new JobRoutes());
    }
}
