package dev.berth.exec.container;

import dev.berth.bus.EngineException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `docker pause` and `unpause`: the runtime freezes and thaws the container's cgroup (freezer v1,
 * or cgroup.freeze on v2). Runs in the container's serial order, so a pause never races a start
 * or a stop; the refusals are dockerd's. A commit's pause is marked on disk, so that a restart of
 * berthd in the middle of the copy thaws the container rather than leave it frozen.
 */
final class ContainerPauser {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerPauser.class);
    /** In the bundle while a commit holds the container paused. */
    static final String COMMIT_MARK = "paused-for-commit";

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
     * Pauses a running container for a commit; answers whether it did (a container that is not
     * running, or already paused by its user, is left as it is). The mark file is written before
     * the freeze, so a berthd that dies before the matching {@link #unpauseAfterCommit} leaves a
     * mark that {@link #thawAfterInterruptedCommit} finds at the next start.
     */
    CompletableFuture<Boolean> pauseForCommit(Container c) {
        return c.serially(context.blocking, () -> context.blocking(() -> {
            if (c.status() != Status.RUNNING) {
                return false;
            }
            Path mark = commitMark(c);
            try {
                Files.createDirectories(mark.getParent());
                Files.writeString(mark, "");
                context.runtime.pause(c.id());
            } catch (IOException | RuntimeException e) {
                deleteQuietly(mark);
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
            c.markPaused();
            context.persist(c);
            context.publish(c, "pause", Map.of());
            return true;
        }));
    }

    /** Undoes {@link #pauseForCommit}: thaws the container unless it stopped meanwhile. */
    CompletableFuture<Void> unpauseAfterCommit(Container c) {
        return c.serially(context.blocking, () -> context.blocking(() -> {
            try {
                if (c.status() == Status.PAUSED) {
                    thaw(c);
                    context.publish(c, "unpause", Map.of());
                }
            } finally {
                deleteQuietly(commitMark(c));
            }
            return null;
        }));
    }

    /** At berthd's start: a container still frozen by a commit that never finished is thawed. */
    void thawAfterInterruptedCommit(Container c) {
        Path mark = commitMark(c);
        if (!Files.exists(mark)) {
            return;
        }
        if (c.status() == Status.PAUSED) {
            LOG.warn("container {} was paused for a commit when berthd stopped; unpausing it", c.id());
            thaw(c);
            context.publish(c, "unpause", Map.of());
        }
        deleteQuietly(mark);
    }

    private Path commitMark(Container c) {
        return context.bundle(c).resolve(COMMIT_MARK);
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", path, e.toString());
        }
    }

    /**
     * Thaws a paused container (a stop or kill needs its processes to run to take the signal).
     * runc thaws by itself after a SIGKILL on cgroup v1, so "not paused" is the goal reached.
     */
    /**
     * Thaws a paused container that was just sent SIGKILL. runc delivers SIGKILL to a frozen
     * container by thawing it itself, so the container may already be gone when the resume comes:
     * that is the kill having worked, not a failure.
     */
    void thawAfterKill(Container c) {
        try {
            thaw(c);
        } catch (EngineException e) {
            if (e.getMessage() == null || !e.getMessage().contains("does not exist")) {
                throw e;
            }
            if (c.status() == Status.PAUSED) {
                c.markUnpaused();
                context.persist(c);
            }
        }
    }

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
