package dev.berth.exec;

import dev.berth.bus.JobBus;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.WorkerKind;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Wiring of the exec worker: containers under conmon and runc. */
public final class ExecWorkerVerticle extends VerticleBase {
    private final JobBus bus;
    private final ExecOptions options;

    public ExecWorkerVerticle(JobBus bus, ExecOptions options) {
        this.bus = bus;
        this.options = options;
    }

    @Override
    public Future<?> start() {
        return bus.serve(WorkerKind.EXEC, new JobRoutes());
    }

    ExecOptions options() {
        return options;
    }
}
