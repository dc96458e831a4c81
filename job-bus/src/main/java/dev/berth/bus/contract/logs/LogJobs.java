package dev.berth.bus.contract.logs;

import dev.berth.bus.JobBus;
import dev.berth.bus.stream.JobStream;
import io.vertx.core.Future;

/** What route groups ask of the log worker. */
public interface LogJobs {
    /** Opens a {@link LogJobTypes#READ} stream; {@link #header} says how it was accepted. */
    Future<JobStream> read(ReadLogs args);

    static LogsHeader header(JobStream stream) {
        return JobBus.header(LogJobTypes.READ, stream);
    }

    /** The jobs sent on {@code bus}. */
    static LogJobs over(JobBus bus) {
        return args -> bus.open(LogJobTypes.READ, args);
    }
}
