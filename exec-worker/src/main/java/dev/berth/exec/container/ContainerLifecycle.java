package dev.berth.exec.container;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A container's life, from start to removal, each part in its own class: the {@link StartPlan}
 * of undoable steps ({@link ContainerStarter}), signals and stops ({@link ContainerStopper}),
 * exits ({@link ExitMonitor}), removal ({@link ContainerRemover}) and the reconciliation after a
 * restart of berthd ({@link ContainerRestorer}). Status changes follow {@link Status#canMoveTo};
 * operations on one container run in order through {@link Container#serially}. Every operation
 * answers with a future and holds no thread while it waits.
 */
public final class ContainerLifecycle {
    private final LifecycleContext context;
    private final ContainerStarter starter;
    private final ContainerStopper stopper;
    private final ContainerRemover remover;
    private final ExitMonitor exits;
    private final ContainerRestorer restorer;

    public ContainerLifecycle(LifecycleContext context) {
        this.context = context;
        this.stopper = new ContainerStopper(context);
        this.remover = new ContainerRemover(context, stopper);
        this.starter = new ContainerStarter(context, remover);
        this.exits = new ExitMonitor(context, remover);
        this.restorer = new ContainerRestorer(context, exits, remover, starter);
    }

    public CompletableFuture<Void> start(Container c) {
        return starter.start(c);
    }

    public CompletableFuture<Void> stop(Container c, Integer timeoutSeconds, String signal) {
        return stopper.stop(c, timeoutSeconds, signal);
    }

    public CompletableFuture<Void> kill(Container c, String signal) {
        return stopper.kill(c, signal);
    }

    public CompletableFuture<Void> remove(Container c, boolean force) {
        return remover.remove(c, force, false);
    }

    /** A removal that also removes the container's anonymous volumes (rm -v). */
    public CompletableFuture<Void> remove(Container c, boolean force, boolean volumes) {
        return remover.remove(c, force, volumes);
    }

    dev.berth.exec.volume.VolumeService volumes() {
        return context.volumes;
    }

    /** conmon reported an exit. */
    public void onExit(String id, int exitCode) {
        exits.onExit(id, exitCode);
    }

    /** Reconciles every record with what still runs, after berthd starts. */
    public CompletableFuture<Void> restore() {
        return restorer.restore();
    }

    Path bundle(Container c) {
        return context.bundle(c);
    }

    void publish(Container c, String action, Map<String, String> extra) {
        context.publish(c, action, extra);
    }
}
