package dev.berth.log.follow;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobType;
import dev.berth.bus.JobTypes;
import dev.berth.bus.WorkerKind;
import java.nio.file.Path;

/**
 * The part of the exec worker's container view that reading a log needs: {@code id},
 * {@code logPath}, {@code config.Tty} and {@code state.running}. The log worker asks for it with
 * its own narrow, typed view of {@code container.inspect}, whose other fields it ignores, until
 * the containers' typed client is there to call.
 */
record ContainerLog(String id, Path logPath, boolean tty, boolean running) {
    record Ref(String ref) {
    }

    record InspectedConfig(@JsonProperty("Tty") boolean tty) {
    }

    record InspectedState(Boolean running, String status) {
    }

    record Inspected(String id, String logPath, InspectedConfig config, InspectedState state) {
    }

    static final JobType<Ref, Inspected> INSPECT =
            JobType.request(JobTypes.CONTAINER_INSPECT, WorkerKind.EXEC, Ref.class, Inspected.class);

    static ContainerLog of(Inspected view) {
        if (view.id() == null || view.id().isEmpty()) {
            throw EngineException.internal("the container view has no id", null);
        }
        InspectedState state = view.state();
        boolean running = state != null
                && (state.running() != null ? state.running() : "running".equals(state.status()));
        return new ContainerLog(view.id(), view.logPath() == null || view.logPath().isEmpty() ? null : Path.of(view.logPath()),
                view.config() != null && view.config().tty(), running);
    }
}
