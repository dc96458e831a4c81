package dev.berth.bus.contract.archive;

import dev.berth.bus.JobBus;
import dev.berth.bus.stream.JobStream;
import io.vertx.core.Future;

/** What the gateway asks of the exec worker for docker cp, one method per job. */
public interface ArchiveJobs {
    Future<PathStat> stat(ArchivePath args);

    /** Opens a copy out of the container; the header is the path's {@link PathStat}, the stream a tar. */
    Future<JobStream> get(ArchivePath args);

    /** Opens a copy into the container; write the tar into the stream and end it, then wait for the worker's end. */
    Future<JobStream> put(ExtractArchive args);

    static ArchiveJobs over(JobBus bus) {
        return new ArchiveJobs() {
            @Override
            public Future<PathStat> stat(ArchivePath args) {
                return bus.call(ArchiveJobTypes.STAT, args);
            }

            @Override
            public Future<JobStream> get(ArchivePath args) {
                return bus.open(ArchiveJobTypes.GET, args);
            }

            @Override
            public Future<JobStream> put(ExtractArchive args) {
                return bus.open(ArchiveJobTypes.PUT, args);
            }
        };
    }
}
