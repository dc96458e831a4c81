package dev.berth.log;

import dev.berth.bus.JobBus;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.WorkerKind;
import dev.berth.bus.contract.event.EventJobTypes;
import dev.berth.bus.contract.logs.LogBytesWritten;
import dev.berth.bus.contract.logs.LogJobTypes;
import dev.berth.log.event.EventJournal;
import dev.berth.log.event.EventsReadJob;
import dev.berth.log.file.FileWatcher;
import dev.berth.log.file.LogWrites;
import dev.berth.log.follow.LogsReadJob;
import dev.berth.log.rotate.LogRotator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;

/**
 * Wiring of the log worker: reading and following container logs, rotating them, counting the
 * bytes written to them, and the journal of events.
 */
public final class LogStreamVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(LogStreamVerticle.class);
    private final JobBus bus;
    private final LogOptions options;
    private WorkerExecutor readers;
    private FileWatcher watcher;
    private JobBus.Registration journaling;
    private LogRotator rotator;
    private final LogWrites writes = new LogWrites();

    public LogStreamVerticle(JobBus bus) {
        this(bus, LogOptions.DEFAULT);
    }

    public LogStreamVerticle(JobBus bus, LogOptions options) {
        this.bus = bus;
        this.options = options;
    }

    @Override
    public Future<?> start() {
        EventJournal journal = new EventJournal(options.eventJournalSize());
        journaling = bus.subscribe(journal::append);
        readers = vertx.createSharedWorkerExecutor("berth-log-readers", options.readerThreads());
        Future<FileWatcher> watching = options.inotify()
                ? vertx.executeBlocking(FileWatcher::start) : Future.succeededFuture(null);
        return watching.compose(started -> {
            watcher = started;
            return bus.serve(WorkerKind.LOGS, new JobRoutes()
                    .onStream(LogJobTypes.READ, new LogsReadJob(bus, readers, watcher, options.followPollMillis()))
                    .onStream(EventJobTypes.READ, new EventsReadJob(journal, bus.localNode()))
                    .on(LogJobTypes.WRITTEN, none -> readers.executeBlocking(() -> new LogBytesWritten(writes.measureRunning()), false))
                    .on(LogJobTypes.RETIRE, retire -> readers.executeBlocking(() -> {
                        writes.retire(retire.containerId(), Path.of(retire.logPath()));
                        return null;
                    }, false)));
        }).compose(v -> {
            rotator = new LogRotator(bus, context, readers, watcher, writes);
            // The exec worker may not serve yet: containers already running are found at its first answer.
            rotator.start().onFailure(e -> LOG.warn("cannot list the containers whose logs rotate and are counted: {}", e.toString()));
            return Future.succeededFuture();
        });
    }

    @Override
    public Future<?> stop() {
        FileWatcher stopping = watcher;
        journaling.unregister();
        if (rotator != null) {
            rotator.stop();
        }
        return readers.close().compose(v -> stopping == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
            stopping.close();
            return null;
        }));
    }
}
