package dev.berth.bus.contract.logs;

import dev.berth.bus.JobType;
import dev.berth.bus.WorkerKind;

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

    private LogJobTypes() {
    }
}
