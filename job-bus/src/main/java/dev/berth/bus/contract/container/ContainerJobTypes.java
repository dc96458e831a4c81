package dev.berth.bus.contract.container;

import dev.berth.bus.JobType;
import dev.berth.bus.WorkerKind;
import dev.berth.bus.contract.image.CommittedImage;
import java.time.Duration;

/**
 * The exec worker's container jobs. Inspect answers with host paths (log, root file system,
 * network namespace) and attach reaches conmon's socket, so both run only on the container's own
 * node.
 */
public final class ContainerJobTypes {
    /** The longest stop timeout Berth accepts (query t, Config.StopTimeout); -1, waiting for ever, is apart. */
    public static final int MAX_STOP_TIMEOUT_SECONDS = 3600;
    /** How long the worker waits for a container to die after SIGKILL before it gives up. */
    public static final int KILL_WAIT_SECONDS = 30;
    /** Headroom for the bus and the bookkeeping around a signal. */
    private static final Duration MARGIN = Duration.ofSeconds(30);

    public static final JobType<CreateContainer, ContainerCreated> CREATE =
            JobType.request("container.create", WorkerKind.EXEC, CreateContainer.class, ContainerCreated.class);
    public static final JobType<ContainerRef, Void> START =
            JobType.request("container.start", WorkerKind.EXEC, ContainerRef.class, Void.class);
    /** A stop may wait the longest timeout, then for the kill. */
    public static final JobType<StopContainer, Void> STOP =
            JobType.request("container.stop", WorkerKind.EXEC, StopContainer.class, Void.class)
                    .withDeadline(Duration.ofSeconds(MAX_STOP_TIMEOUT_SECONDS + KILL_WAIT_SECONDS).plus(MARGIN));
    public static final JobType<KillContainer, Void> KILL =
            JobType.request("container.kill", WorkerKind.EXEC, KillContainer.class, Void.class)
                    .withDeadline(Duration.ofSeconds(KILL_WAIT_SECONDS).plus(MARGIN));
    /** A forced removal kills first, then unmounts and deletes. */
    public static final JobType<RemoveContainer, Void> REMOVE =
            JobType.request("container.remove", WorkerKind.EXEC, RemoveContainer.class, Void.class)
                    .withDeadline(Duration.ofSeconds(KILL_WAIT_SECONDS).plus(JobType.DEFAULT_DEADLINE));
    public static final JobType<ContainerRef, ContainerView> INSPECT =
            JobType.request("container.inspect", WorkerKind.EXEC, ContainerRef.class, ContainerView.class).nodeLocal();
    public static final JobType<ListContainers, ContainerList> LIST =
            JobType.request("container.list", WorkerKind.EXEC, ListContainers.class, ContainerList.class);
    public static final JobType<ResizeContainer, Void> RESIZE =
            JobType.request("container.resize", WorkerKind.EXEC, ResizeContainer.class, Void.class);
    /** Has conmon start a new log file, once the log worker has given the old one its rotated name. */
    public static final JobType<ContainerRef, Void> REOPEN_LOG =
            JobType.request("container.reopenLog", WorkerKind.EXEC, ContainerRef.class, Void.class).nodeLocal();
    public static final JobType<Void, ContainerSummary> SUMMARY =
            JobType.request("container.summary", WorkerKind.EXEC, Void.class, ContainerSummary.class);
    /** Accepted once the waiter is registered; then one {@link WaitOutcome} chunk and the end. */
    public static final JobType<WaitContainer, Void> WAIT =
            JobType.stream("container.wait", WorkerKind.EXEC, WaitContainer.class, Void.class);
    /** Worker → caller: StreamRecords; caller → worker: raw stdin, its end being stdin's end. */
    public static final JobType<AttachContainer, AttachAccepted> ATTACH =
            JobType.stream("container.attach", WorkerKind.EXEC, AttachContainer.class, AttachAccepted.class).nodeLocal();
    /** A restart is a stop, which may wait the longest timeout and the kill, then a start. */
    public static final JobType<StopContainer, Void> RESTART =
            JobType.request("container.restart", WorkerKind.EXEC, StopContainer.class, Void.class)
                    .withDeadline(Duration.ofSeconds(MAX_STOP_TIMEOUT_SECONDS + KILL_WAIT_SECONDS).plus(MARGIN)
                            .plus(JobType.DEFAULT_DEADLINE));
    public static final JobType<UpdateContainer, Void> UPDATE =
            JobType.request("container.update", WorkerKind.EXEC, UpdateContainer.class, Void.class);
    /** Reads the container's cgroup and network namespace: StatsSample chunks, each JSON. */
    public static final JobType<StatsRequest, Void> STATS =
            JobType.stream("container.stats", WorkerKind.EXEC, StatsRequest.class, Void.class).nodeLocal();
    public static final JobType<ContainerRef, Void> PAUSE =
            JobType.request("container.pause", WorkerKind.EXEC, ContainerRef.class, Void.class);
    public static final JobType<ContainerRef, Void> UNPAUSE =
            JobType.request("container.unpause", WorkerKind.EXEC, ContainerRef.class, Void.class);
    /**
     * Pause, the graph worker's image.commit (which reads the whole upper directory, up to 30
     * minutes), unpause; the exec worker owns the sequence so no caller can leave it paused.
     */
    public static final JobType<CommitContainer, CommittedImage> COMMIT =
            JobType.request("container.commit", WorkerKind.EXEC, CommitContainer.class, CommittedImage.class)
                    .withDeadline(Duration.ofMinutes(30).plus(MARGIN));
    public static final JobType<PruneContainers, ContainersPruned> PRUNE =
            JobType.request("container.prune", WorkerKind.EXEC, PruneContainers.class, ContainersPruned.class);
    public static final JobType<RenameContainer, Void> RENAME =
            JobType.request("container.rename", WorkerKind.EXEC, RenameContainer.class, Void.class);
    /** Removes a legacy link from the linking container's record. */
    public static final JobType<UnlinkContainer, Void> UNLINK =
            JobType.request("container.unlink", WorkerKind.EXEC, UnlinkContainer.class, Void.class);
    /** Publishes a container event for what another worker did to it (commit, export). */
    public static final JobType<AnnounceContainerEvent, Void> ANNOUNCE =
            JobType.request("container.announce", WorkerKind.EXEC, AnnounceContainerEvent.class, Void.class);
    /** docker network connect: the container's record, and its sandbox if it runs. */
    public static final JobType<ConnectContainer, Void> NETWORK_CONNECT =
            JobType.request("container.network.connect", WorkerKind.EXEC, ConnectContainer.class, Void.class);
    /** docker network disconnect: NOT_FOUND for an unknown container or network. */
    public static final JobType<DisconnectContainer, Void> NETWORK_DISCONNECT =
            JobType.request("container.network.disconnect", WorkerKind.EXEC, DisconnectContainer.class, Void.class);
    /** Reads the container's processes on its own node. */
    public static final JobType<TopContainer, ProcessTable> TOP =
            JobType.request("container.top", WorkerKind.EXEC, TopContainer.class, ProcessTable.class).nodeLocal();

    /**
     * exec.* jobs reach the container's conmon and runtime, and an exec instance lives in the
     * memory of the worker that made it, so they stay on the container's node.
     */
    public static final JobType<CreateExec, ExecCreated> EXEC_CREATE =
            JobType.request("exec.create", WorkerKind.EXEC, CreateExec.class, ExecCreated.class).nodeLocal();
    /** Worker → caller: StreamRecords; caller → worker: raw stdin. Accepted before an attached process runs. */
    public static final JobType<StartExec, ExecAccepted> EXEC_START =
            JobType.stream("exec.start", WorkerKind.EXEC, StartExec.class, ExecAccepted.class).nodeLocal();
    public static final JobType<ExecRef, ExecView> EXEC_INSPECT =
            JobType.request("exec.inspect", WorkerKind.EXEC, ExecRef.class, ExecView.class).nodeLocal();
    public static final JobType<ResizeExec, Void> EXEC_RESIZE =
            JobType.request("exec.resize", WorkerKind.EXEC, ResizeExec.class, Void.class).nodeLocal();

    private ContainerJobTypes() {
    }
}
