package dev.berth.exec.container;

import dev.berth.bus.EngineException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * `docker pause` and `unpause`: the runtime freezes and thaws the container's cgroup (freezer v1,
 * or cgroup.freeze on v2). Runs in the container's serial order, so a pause never races a start
 * or a stop; the refusals are dockerd's.
 */
final class ContainerPauser {
    private final LifecycleContext context;

    ContainerPauser(LifecycleContext context) {
        this.context = context;
    }

    CompletableFuture<Void> pause(Container c) {
        return c.serially(context.blocking, () -> context.blocking(() -> {
            if (c.status() == Status.PAUSED) {
                throw EngineException.conflict("Container " + c.id() + " is already paused");
            }
            if (c.status() == Status.RESTARTING) {
                throw EngineException.conflict("Container " + c.id() + " is restarting, wait until the container is running");
            }
            if (c.status() != Status.RUNNING) {
                throw EngineException.conflict("Container " + c.id() + " is not running");
            }
            try {
                context.runtime.pause(c.id());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            c.markPaused();
            context.persist(c);
            context.publish(c, "pause", Map.of());
            return null;
        }));
    }

    CompletableFuture<Void> unpause(Container c) {
        return c.serially(context.blocking, () -> context.blocking(() -> {
            if (c.status() != Status.PAUSED) {
                throw EngineException.conflict("Container " + c.id() + " is not paused");
            }
            thaw(c);
            context.publish(c, "unpause", Map.of());
            return null;
        }));
    }

    /**
     * Thaws a paused container (a stop or kill needs its processes to run to take the signal).
     * runc thaws by itself after a SIGKILL on cgroup v1, so "not paused" is the goal reached.
     */
    void thaw(Container c) {
        try {
            context.runtime.resume(c.id());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (EngineException e) {
            if (!e.getMessage().contains("not paused")) {
                throw e;
            }
        }
        if (c.status() == Status.PAUSED) {
            c.markUnpaused();
            context.persist(c);
        }
    }
}
