package dev.berth.bus.contract.container;

import dev.berth.bus.Job;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.image.CommittedImage;
import dev.berth.bus.stream.JobStream;
import io.vertx.core.Future;

/** The container jobs as a caller sees them: one method per job. */
public interface ContainerJobs {
    Future<ContainerCreated> create(CreateContainer args);

    Future<Void> start(String ref);

    Future<Void> stop(StopContainer args);

    Future<Void> kill(KillContainer args);

    Future<Void> remove(RemoveContainer args);

    Future<ContainerView> inspect(String ref);

    Future<ContainerList> list(ListContainers args);

    Future<Void> resize(ResizeContainer args);

    Future<ContainerSummary> summary();

    /** See {@link ContainerJobTypes#REOPEN_LOG}. */
    Future<Void> reopenLog(String ref);

    /** Accepted once the waiter is registered; the stream then carries one {@link WaitOutcome}. */
    Future<JobStream> await(WaitContainer args);

    /** The header says how to frame the output: {@code JobBus.header(ContainerJobTypes.ATTACH, stream)}. */
    Future<JobStream> attach(AttachContainer args);

    /** A stop (if it runs) and a start, as one job. */
    Future<Void> restart(StopContainer args);

    /** docker commit: pause, copy, unpause as one job. */
    Future<CommittedImage> commit(CommitContainer args);

    Future<Void> pause(String ref);

    Future<Void> update(UpdateContainer args);

    /** Chunks are {@link StatsSample}s as JSON. */
    Future<JobStream> stats(StatsRequest args);

    Future<Void> unpause(String ref);

    Future<Void> rename(RenameContainer args);

    Future<Void> unlink(UnlinkContainer args);

    /** See {@link ContainerJobTypes#ANNOUNCE}. */
    Future<Void> announce(AnnounceContainerEvent args);

    Future<Void> connectNetwork(ConnectContainer args);

    Future<Void> disconnectNetwork(DisconnectContainer args);

    Future<ContainersPruned> prune(PruneContainers args);

    Future<ProcessTable> top(TopContainer args);

    Future<ExecCreated> createExec(CreateExec args);

    /** The header says how to frame the output: {@code JobBus.header(ContainerJobTypes.EXEC_START, stream)}. */
    Future<JobStream> startExec(StartExec args);

    Future<ExecView> inspectExec(String id);

    Future<Void> resizeExec(ResizeExec args);

    static ContainerJobs over(JobBus bus) {
        return new ContainerJobs() {
            @Override
            public Future<ContainerCreated> create(CreateContainer args) {
                return bus.call(ContainerJobTypes.CREATE, args);
            }

            @Override
            public Future<Void> start(String ref) {
                return bus.call(ContainerJobTypes.START, new ContainerRef(ref));
            }

            /** A stop that may wait for ever (timeout -1) carries no deadline. */
            @Override
            public Future<Void> stop(StopContainer args) {
                if (args.timeout() != null && args.timeout() < 0) {
                    return bus.request(Job.of(ContainerJobTypes.STOP, args).withDeadline(0))
                            .map(reply -> JobCodec.decode(reply, Void.class));
                }
                return bus.call(ContainerJobTypes.STOP, args);
            }

            @Override
            public Future<Void> kill(KillContainer args) {
                return bus.call(ContainerJobTypes.KILL, args);
            }

            @Override
            public Future<Void> remove(RemoveContainer args) {
                return bus.call(ContainerJobTypes.REMOVE, args);
            }

            @Override
            public Future<ContainerView> inspect(String ref) {
                return bus.call(ContainerJobTypes.INSPECT, new ContainerRef(ref));
            }

            @Override
            public Future<ContainerList> list(ListContainers args) {
                return bus.call(ContainerJobTypes.LIST, args);
            }

            @Override
            public Future<Void> resize(ResizeContainer args) {
                return bus.call(ContainerJobTypes.RESIZE, args);
            }

            @Override
            public Future<Void> reopenLog(String ref) {
                return bus.call(ContainerJobTypes.REOPEN_LOG, new ContainerRef(ref));
            }

            @Override
            public Future<ContainerSummary> summary() {
                return bus.call(ContainerJobTypes.SUMMARY, null);
            }

            @Override
            public Future<JobStream> await(WaitContainer args) {
                return bus.open(ContainerJobTypes.WAIT, args);
            }

            @Override
            public Future<JobStream> attach(AttachContainer args) {
                return bus.open(ContainerJobTypes.ATTACH, args);
            }

            @Override
            public Future<ExecCreated> createExec(CreateExec args) {
                return bus.call(ContainerJobTypes.EXEC_CREATE, args);
            }

            @Override
            public Future<JobStream> startExec(StartExec args) {
                return bus.open(ContainerJobTypes.EXEC_START, args);
            }

            @Override
            public Future<ExecView> inspectExec(String id) {
                return bus.call(ContainerJobTypes.EXEC_INSPECT, new ExecRef(id));
            }

            @Override
            public Future<Void> resizeExec(ResizeExec args) {
                return bus.call(ContainerJobTypes.EXEC_RESIZE, args);
            }

            /** A restart that may wait for ever (timeout -1) carries no deadline. */
            @Override
            public Future<Void> restart(StopContainer args) {
                if (args.timeout() != null && args.timeout() < 0) {
                    return bus.request(Job.of(ContainerJobTypes.RESTART, args).withDeadline(0))
                            .map(reply -> JobCodec.decode(reply, Void.class));
                }
                return bus.call(ContainerJobTypes.RESTART, args);
            }

            @Override
            public Future<JobStream> stats(StatsRequest args) {
                return bus.open(ContainerJobTypes.STATS, args);
            }

            @Override
            public Future<Void> update(UpdateContainer args) {
                return bus.call(ContainerJobTypes.UPDATE, args);
            }

            @Override
            public Future<CommittedImage> commit(CommitContainer args) {
                return bus.call(ContainerJobTypes.COMMIT, args);
            }

            @Override
            public Future<Void> pause(String ref) {
                return bus.call(ContainerJobTypes.PAUSE, new ContainerRef(ref));
            }

            @Override
            public Future<Void> unpause(String ref) {
                return bus.call(ContainerJobTypes.UNPAUSE, new ContainerRef(ref));
            }

            @Override
            public Future<Void> rename(RenameContainer args) {
                return bus.call(ContainerJobTypes.RENAME, args);
            }

            @Override
            public Future<Void> unlink(UnlinkContainer args) {
                return bus.call(ContainerJobTypes.UNLINK, args);
            }

            @Override
            public Future<Void> announce(AnnounceContainerEvent args) {
                return bus.call(ContainerJobTypes.ANNOUNCE, args);
            }

            @Override
            public Future<Void> connectNetwork(ConnectContainer args) {
                return bus.call(ContainerJobTypes.NETWORK_CONNECT, args);
            }

            @Override
            public Future<Void> disconnectNetwork(DisconnectContainer args) {
                return bus.call(ContainerJobTypes.NETWORK_DISCONNECT, args);
            }

            @Override
            public Future<ContainersPruned> prune(PruneContainers args) {
                return bus.call(ContainerJobTypes.PRUNE, args);
            }

            @Override
            public Future<ProcessTable> top(TopContainer args) {
                return bus.call(ContainerJobTypes.TOP, args);
            }
        };
    }
}
