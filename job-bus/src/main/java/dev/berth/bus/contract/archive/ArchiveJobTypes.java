package dev.berth.bus.contract.archive;

import dev.berth.bus.JobType;
import dev.berth.bus.WorkerKind;
import java.time.Duration;

/**
 * docker cp: the archive API of a container, in the exec worker. A copy streams a tar of any
 * size, so the deadlines bound only the acceptance (the path resolved, a stopped container's
 * root file system mounted); the stream itself has the bus's liveness checks.
 */
public final class ArchiveJobTypes {
    private static final Duration ACCEPT = Duration.ofMinutes(1);

    /** NOT_FOUND "Could not find the file /x in container y". */
    public static final JobType<ArchivePath, PathStat> STAT =
            JobType.request("container.archive.stat", WorkerKind.EXEC, ArchivePath.class, PathStat.class).withDeadline(ACCEPT);
    /** Stream: a tar of the path out; accepted with the path's stat once it is found. */
    public static final JobType<ArchivePath, PathStat> GET =
            JobType.stream("container.archive.get", WorkerKind.EXEC, ArchivePath.class, PathStat.class).withDeadline(ACCEPT);
    /**
     * Stream: a tar in; accepted once the path is a directory the copy may write to. The worker
     * ends its direction when everything is extracted, or fails it with why not.
     */
    public static final JobType<ExtractArchive, Void> PUT =
            JobType.stream("container.archive.put", WorkerKind.EXEC, ExtractArchive.class, Void.class).withDeadline(ACCEPT);

    private ArchiveJobTypes() {
    }
}
