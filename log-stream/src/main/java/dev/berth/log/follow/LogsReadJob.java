package dev.berth.log.follow;

import dev.berth.bus.EngineEvent;
import dev.berth.bus.Job;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.JobTypes;
import dev.berth.bus.stream.JobStream;
import dev.berth.log.file.FileWatcher;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;

/**
 * The {@link JobTypes#LOGS_READ} job: asks the exec worker which container and log it is, accepts
 * with {tty}, then pumps the log into the stream. When following, it subscribes to the
 * container's {@code die} event before it looks at the container's state, so that an exit in
 * between cannot be missed.
 */
public final class LogsReadJob implements JobRoutes.StreamHandler {
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
    public Future<JsonObject> handle(Job job, JobStream stream) {
        String ref = job.requireString("ref");
        LogQuery query = LogQuery.fromArgs(job.args());
        return inspect(ref).compose(view -> {
            ContainerLog container = ContainerLog.fromInspect(view);
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
                if (!ContainerLog.fromInspect(now).running()) {
                    pump.containerExited();
                }
                return accept(stream, pump, container);
            }, failure -> {
                exits.unregister();
                return Future.failedFuture(failure);
            });
        });
    }

    private Future<JsonObject> inspect(String ref) {
        return bus.request(Job.of(JobTypes.CONTAINER_INSPECT, new JsonObject().put("ref", ref)));
    }

    private static boolean isDeathOf(EngineEvent event, String id) {
        return "container".equals(event.type()) && "die".equals(event.action()) && id.equals(event.actorId());
    }

    private static Future<JsonObject> accept(JobStream stream, LogPump pump, ContainerLog container) {
        // Reading starts after the accept has gone out.
        stream.context().runOnContext(v -> pump.start());
        return Future.succeededFuture(new JsonObject().put("tty", container.tty()));
    }
}
