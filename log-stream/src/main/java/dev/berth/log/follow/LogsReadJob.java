package dev.berth.log.follow;

import dev.berth.bus.contract.container.ContainerJobTypes;
import dev.berth.bus.contract.container.ContainerRef;
import dev.berth.bus.EngineEvent;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobBus;
import dev.berth.bus.contract.logs.LogJobTypes;
import dev.berth.bus.contract.logs.LogsHeader;
import dev.berth.bus.contract.logs.ReadLogs;
import dev.berth.bus.stream.JobStream;
import dev.berth.log.file.FileWatcher;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.function.BiFunction;

/**
 * The {@link LogJobTypes#READ} job: asks the exec worker which container and log it is, accepts
 * with {@link LogsHeader}, then pumps the log into the stream. When following, it subscribes to
 * the container's {@code die} event before it looks at the container's state, so that an exit in
 * between cannot be missed.
 */
public final class LogsReadJob implements BiFunction<ReadLogs, JobStream, Future<LogsHeader>> {
    private final JobBus bus;
    private final WorkerExecutor readers;
    private final FileWatcher watcher;
    private final long pollMillis;

    /** {@code watcher} may be null: followers then poll every {@code pollMillis}. */
    public LogsReadJob(JobBus bus, WorkerExecutor readers, FileWatcher watcher, long pollMillis) {
        this.bus = bus;
        this.readers = readers;
        this.watcher = watcher;
        this.pollMillis = pollMillis;
    }

    @Override
    public Future<LogsHeader> apply(ReadLogs args, JobStream stream) {
        if (args.ref() == null || args.ref().isEmpty()) {
            return Future.failedFuture(EngineException.invalid("missing argument ref for " + LogJobTypes.READ.name()));
        }
        LogQuery query = LogQuery.of(args);
        return inspect(args.ref()).compose(container -> {
            LogPump pump = new LogPump(stream, readers, watcher, container.logPath(), query, pollMillis);
            if (!query.follow()) {
                return accept(stream, pump, container);
            }
            JobBus.Registration exits = bus.subscribe(event -> {
                if (isDeathOf(event, container.id())) {
                    pump.containerExited();
                }
            });
            pump.onFinish(exits::unregister);
            return inspect(container.id()).compose(now -> {
                if (!now.running()) {
                    pump.containerExited();
                }
                return accept(stream, pump, container);
            }, failure -> {
                exits.unregister();
                return Future.failedFuture(failure);
            });
        });
    }

    private Future<ContainerLog> inspect(String ref) {
        return bus.call(ContainerJobTypes.INSPECT, new ContainerRef(ref)).map(ContainerLog::of);
    }

    private static boolean isDeathOf(EngineEvent event, String id) {
        return "container".equals(event.type()) && "die".equals(event.action()) && id.equals(event.actorId());
    }

    private static Future<LogsHeader> accept(JobStream stream, LogPump pump, ContainerLog container) {
        // Reading starts after the accept has gone out.
        stream.context().runOnContext(v -> pump.start());
        return Future.succeededFuture(new LogsHeader(container.tty(), container.attributes()));
    }
}
