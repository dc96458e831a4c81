package dev.berth.log.follow;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.container.HostConfig;
import dev.berth.bus.contract.container.ContainerView;
import java.nio.file.Path;

/** The part of the exec worker's container view that reading a log needs, and its log's attributes. */
record ContainerLog(String id, Path logPath, boolean tty, boolean running, java.util.Map<String, String> attributes) {
    static ContainerLog of(ContainerView view) {
        if (view.id() == null || view.id().isEmpty()) {
            throw EngineException.internal("the container view has no id", null);
        }
        if (view.hostConfig() != null && HostConfig.LogConfig.writesNoLog(view.hostConfig().logConfig())) {
            // dockerd's words and status (501) for a driver that cannot be read back.
            throw new EngineException(ErrorKind.NOT_IMPLEMENTED, "configured logging driver does not support reading");
        }
        boolean running = view.state() != null && view.state().running();
        boolean tty = view.config() != null && Boolean.TRUE.equals(view.config().tty());
        return new ContainerLog(view.id(), view.logPath() == null || view.logPath().isEmpty() ? null : Path.of(view.logPath()),
                tty, running, LogAttributes.of(view));
    }
}
