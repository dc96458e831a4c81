package dev.berth.exec.container;

import dev.berth.host.FileTrees;
import dev.berth.exec.runtime.Conmon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles records with reality after berthd starts: a container that exited while the daemon
 * was away is finished; one whose conmon still runs keeps running; one whose conmon vanished
 * without an exit file is marked exited (255); an interrupted start is undone, an interrupted
 * removal completed, and a container left paused by an interrupted commit unpaused.
 */
final class ContainerRestorer {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerRestorer.class);

    private final LifecycleContext context;
    private final ExitMonitor exits;
    private final ContainerRemover remover;
    private final ContainerStarter starter;
    private final RestartPolicies restarts;
    private final ContainerPauser pauser;

    ContainerRestorer(LifecycleContext context, ExitMonitor exits, ContainerRemover remover, ContainerStarter starter,
            RestartPolicies restarts, ContainerPauser pauser) {
        this.pauser = pauser;
        this.restarts = restarts;
        this.context = context;
        this.exits = exits;
        this.remover = remover;
        this.starter = starter;
    }

    /** Completes once every container is reconciled; one that fails is logged and left as it is. */
    CompletableFuture<Void> restore() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Container c : List.copyOf(context.registry.all())) {
            all.add(restore(c).handle((v, failure) -> {
                if (failure != null) {
                    LOG.warn("restoring container {} failed: {}", c.id(), failure.toString());
                } else if (context.registry.find(c.id()) == c) {
                    restarts.afterDaemonRestart(c);
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> restore(Container c) {
        if (c.status() == Status.REMOVING) {
            return remover.finishRemoval(c);
        }
        if (c.status() == Status.RESTARTING) {
            // Waiting for its policy's restart when berthd stopped: nothing of it runs.
            return CompletableFuture.completedFuture(null);
        }
        if (c.isRunning()) {
            OptionalInt code = exits.recordedExit(c.id());
            if (code.isPresent()) {
                return exits.exited(c, code.getAsInt());
            }
            if (!Conmon.isAlive(c.conmonPid(), c.id())) {
                LOG.warn("container {} lost its conmon while berthd was down; marking it exited", c.id());
                return exits.exited(c, 255);
            }
            LOG.info("container {} is still running (conmon {})", c.id(), c.conmonPid());
            return CompletableFuture.runAsync(() -> pauser.thawAfterInterruptedCommit(c), context.blocking);
        }
        return undoInterruptedStart(c).thenRun(() -> {
            if (c.autoRemove() && c.status() == Status.EXITED) {
                remover.removeLater(c);
            }
        });
    }

    /**
     * berthd died in the middle of a start: the record says the container is not running, but
     * conmon, runtime state, the mount or the namespace may exist. Undo them.
     */
    private CompletableFuture<Void> undoInterruptedStart(Container c) {
        Path bundle = context.bundle(c);
        if (!Files.exists(bundle.resolve("config.json"))) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> undone = CompletableFuture.completedFuture(null);
        if (Conmon.isAlive(Conmon.conmonPid(bundle), c.id()) || context.runtime.hasState(c.id())) {
            LOG.warn("container {} was being started when berthd stopped; undoing the start", c.id());
            starter.discardRuntime(c, bundle);
            undone = exits.release(c.id(), true);
        }
        return undone.thenRunAsync(() -> {
            try {
                FileTrees.deleteTree(bundle);
            } catch (IOException e) {
                LOG.debug("cannot remove the bundle of {}", c.id());
            }
        }, context.blocking);
    }
}
