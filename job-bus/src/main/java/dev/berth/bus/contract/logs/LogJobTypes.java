package dev.berth.bus.contract.logs;

import dev.berth.bus.JobType;
import dev.berth.bus.WorkerKind;
import java.time.Duration;

/** The log worker's jobs. */
public final class LogJobTypes {
    /**
     * Stream, node-local (it reads the container's log file on the node that runs it). Accepted
     * with a {@link LogsHeader}; worker → caller: {@link dev.berth.bus.stream.StreamRecords}, in
     * the order they were written; the stream ends after the chosen part, or, when following,
     * once the container has stopped and its last lines are out. NOT_FOUND for an unknown
     * container.
     */
    public static final JobType<ReadLogs, LogsHeader> READ =
            JobType.stream("logs.read", WorkerKind.LOGS, ReadLogs.class, LogsHeader.class).nodeLocal();

    /**
     * Node-local: measures the logs of the running containers (their files' growth) and answers
     * the bytes written since the log worker started, a total that only grows. /metrics asks at
     * each scrape.
     */
    public static final JobType<Void, LogBytesWritten> WRITTEN =
            JobType.request("logs.written", WorkerKind.LOGS, Void.class, LogBytesWritten.class).nodeLocal()
                    .withDeadline(Duration.ofSeconds(30));

    /**
     * Node-local: the exec worker sends it just before it deletes a removed container's files, so
     * that what the log holds is counted in {@link #WRITTEN} before it goes. A removal goes ahead
     * whatever the answer.
     */
    public static final JobType<RetireLog, Void> RETIRE =
            JobType.request("logs.retire", WorkerKind.LOGS, RetireLog.class, Void.class).nodeLocal()
                    .withDeadline(Duration.ofSeconds(10));

    private LogJobTypes() {
    }
}
