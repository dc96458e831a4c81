package dev.berth.exec.container;

import dev.berth.host.FileTrees;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Removes containers: their snapshot, bundle, state directory and record. */
final class ContainerRemover {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerRemover.class);

    private final LifecycleContext context;
    private final ContainerStopper stopper;

    ContainerRemover(LifecycleContext context, ContainerStopper stopper) {
        this.context = context;
        this.stopper = stopper;
    }

    /** How often a forced removal kills again a container that a start queued before it ran. */
    private static final int FORCED_ATTEMPTS = 3;

    /** @param volumes whether the container's anonymous volumes go too (rm -v, --rm) */
    CompletableFuture<Void> remove(Container c, boolean force, boolean volumes) {
        if (c.isRunning() && !force) {
            return CompletableFuture.failedFuture(EngineException.conflict("cannot remove container \"/" + c.name()
                    + "\": container is running: stop the container before removing or force remove"));
        }
        return removeForced(c, force, volumes, FORCED_ATTEMPTS);
    }

    /**
     * The running check before the queue is only a guess: a start queued ahead of the removal (a
     * build cancelled while its RUN container starts) makes the container run by the removal's
     * turn. A forced removal then kills it and queues again, rather than answer "is running".
     */
    private CompletableFuture<Void> removeForced(Container c, boolean force, boolean volumes, int attempts) {
        CompletableFuture<Void> stopped = CompletableFuture.completedFuture(null);
        if (c.isRunning() && force) {
            // A policy restart already under way when the removal came runs the container again:
            // kill that run too (the removal's mark keeps the policy from another).
            stopped = stopper.killForRemoval(c).thenCompose(v -> c.isRunning() ? stopper.killForRemoval(c)
                    : CompletableFuture.completedFuture(null));
        }
        return stopped.thenCompose(v -> c.<Boolean>serially(context.blocking, () -> {
            if (force && attempts > 1 && c.isRunning() && c.status() != Status.REMOVING) {
                return CompletableFuture.completedFuture(false);
            }
            return removeNow(c, volumes).thenApply(removed -> true);
        })).thenCompose(removed -> removed ? CompletableFuture.<Void>completedFuture(null)
                : removeForced(c, true, volumes, attempts - 1));
    }

    /** A removal nobody waits for (--rm, restore); its failure is logged. */
    void removeLater(Container c) {
        remove(c, true, true).whenComplete((v, failure) -> {
            if (failure != null) {
                EngineException error = EngineException.from(failure);
                if (error.kind() != ErrorKind.NOT_FOUND) {
                    LOG.warn("automatic removal of {} failed: {}", c.id(), error.getMessage());
                }
            }
        });
    }

    private CompletableFuture<Void> removeNow(Container c, boolean volumes) {
        if (context.registry.find(c.id()) == null) {
            throw EngineException.notFound("No such container: " + c.id());
        }
        if (c.status() == Status.REMOVING) {
            throw EngineException.conflict("removal of container " + c.id() + " is already in progress");
        }
        if (c.isRunning()) {
            throw EngineException.conflict("cannot remove container \"/" + c.name() + "\": container is running");
        }
        c.markRemoving();
        context.persist(c);
        ContainerStarter.finishPendingAttaches(c);
        return finishRemoval(c, volumes);
    }

    /** The part of a removal that is retried after a restart interrupted it. */
    CompletableFuture<Void> finishRemoval(Container c) {
        return finishRemoval(c, false);
    }

    private CompletableFuture<Void> finishRemoval(Container c, boolean volumes) {
        // The log worker counts what the log holds before it goes; the removal does not depend on it.
        CompletableFuture<Void> logCounted = context.peers.retireLog(c.id(), c.logPath()).exceptionally(e -> {
            LOG.warn("the log of {} was not counted before its removal: {}", c.id(), e.toString());
            return null;
        });
        return context.peers.removeSnapshot(c.id()).thenCombine(logCounted, (removed, counted) -> removed).thenRunAsync(() -> {
            try {
                FileTrees.deleteTree(context.bundle(c));
                FileTrees.deleteTree(c.stateDir());
                context.store.delete(c.id());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            context.registry.remove(c);
            try {
                context.volumes.released(c.mounts(), volumes);
            } catch (RuntimeException e) {
                LOG.warn("cannot release the volumes of {}: {}", c.id(), e.toString());
            }
            context.publish(c, "destroy", Map.of());
            c.markRemoved();
        }, context.blocking);
    }
}
