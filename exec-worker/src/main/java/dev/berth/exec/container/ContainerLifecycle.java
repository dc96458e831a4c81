package dev.berth.exec.container;

import dev.berth.exec.runtime.HostPs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
    private final ContainerPauser pauser;
    private final ContainerUpdater updater;
    private final ContainerCommitter committer;
    private final NetworkConnections networks;

    public ContainerLifecycle(LifecycleContext context) {
        this.context = context;
        this.pauser = new ContainerPauser(context);
        this.updater = new ContainerUpdater(context, Runtime.getRuntime().availableProcessors(), ContainerLifecycle::daemonHardLimit);
        this.committer = new ContainerCommitter(context, pauser);
        this.stopper = new ContainerStopper(context, pauser);
        this.remover = new ContainerRemover(context, stopper);
        this.starter = new ContainerStarter(context, remover);
        RestartPolicies restarts = new RestartPolicies(context);
        restarts.starter(starter);
        this.exits = new ExitMonitor(context, remover, restarts);
        this.restorer = new ContainerRestorer(context, exits, remover, starter, restarts, pauser);
        this.networks = new NetworkConnections(context);
    }

    /** docker network connect: now if the container runs, at its next start otherwise. */
    public CompletableFuture<Void> connectNetwork(Container c, dev.berth.bus.contract.container.ConnectContainer args) {
        return networks.connect(c, args);
    }

    public CompletableFuture<Void> disconnectNetwork(Container c, String network, boolean force) {
        return networks.disconnect(c, network, force);
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

    /**
     * `docker restart` as one job: a stop when it runs (with the stop's timeout and signal),
     * then a start, so the two never interleave with another client's start or stop.
     */
    public CompletableFuture<Void> restart(Container c, Integer timeoutSeconds, String signal) {
        CompletableFuture<Void> stopped = c.isRunning()
                ? stopper.stop(c, timeoutSeconds, signal).exceptionally(failure -> {
                    if (dev.berth.bus.EngineException.from(failure).kind() == dev.berth.bus.ErrorKind.NOT_MODIFIED) {
                        return null;
                    }
                    throw dev.berth.bus.EngineException.from(failure);
                })
                : CompletableFuture.completedFuture(null);
        return stopped.thenCompose(v -> starter.start(c)).thenRun(() -> context.publish(c, "restart", Map.of()));
    }

    public CompletableFuture<Void> update(Container c, dev.berth.bus.contract.container.HostConfig changes) {
        return updater.update(c, changes);
    }

    /** This process's hard limit of an rlimit, -1 when unlimited or unknown. */
    static long daemonHardLimit(int resource) {
        try {
            return dev.berth.host.Processes.linux().rlimit(resource)[1];
        } catch (IOException e) {
            return -1;
        }
    }

    public CompletableFuture<Void> pause(Container c) {
        return pauser.pause(c);
    }

    public CompletableFuture<Void> unpause(Container c) {
        return pauser.unpause(c);
    }

    /** `docker commit`: pause, copy, unpause as one job (see {@link ContainerCommitter}). */
    public CompletableFuture<dev.berth.bus.contract.image.CommittedImage> commit(Container c,
            dev.berth.bus.contract.container.CommitContainer args) {
        return committer.commit(c, args);
    }

    /** `docker top`: the container's processes, as the host's ps shows them with the user's options. */
    public CompletableFuture<dev.berth.bus.contract.container.ProcessTable> top(Container c, String psArgs) {
        if (!c.isRunning()) {
            throw dev.berth.bus.EngineException.conflict("Container " + c.id() + " is not running");
        }
        List<String> options = psArgs == null || psArgs.isBlank() ? List.of("-ef") : List.of(psArgs.trim().split("\\s+"));
        return context.blocking(() -> {
            try {
                Set<Integer> pids = new HashSet<>(context.runtime.processes(c.id()));
                dev.berth.bus.contract.container.ProcessTable table = ProcessTable.of(HostPs.run(options), pids);
                context.publish(c, "top", Map.of());
                return table;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
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

    /** The container's OCI bundle: its config.json, conmon's sockets and FIFOs. */
    public Path bundle(Container c) {
        return context.bundle(c);
    }

    /** Where the container's seccomp filters are kept for execs, copied by the helper at its start. */
    public Path seccompFilters(Container c) {
        return context.seccompFilters(c);
    }

    public void publish(Container c, String action, Map<String, String> extra) {
        context.publish(c, action, extra);
    }
}
