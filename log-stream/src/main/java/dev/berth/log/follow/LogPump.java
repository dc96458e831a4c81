package dev.berth.log.follow;

import dev.berth.bus.EngineException;
import dev.berth.bus.stream.JobStream;
import dev.berth.log.file.FileWatcher;
import io.vertx.core.Context;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one {@link LogReader} into one logs.read stream. Each read runs on the log readers' pool
 * and returns rather than wait, so an idle or slow follower holds no thread: the next read starts
 * when the stream drains, when the follow timer fires, or at once after the container's exit,
 * which earns one last read of what is left. With a {@link FileWatcher}, a write to the log also
 * starts a read, and the timer becomes a slow safety net. Everything but the reads runs on the
 * stream's context.
 */
final class LogPump implements ChunkSink {
    private static final Logger LOG = LoggerFactory.getLogger(LogPump.class);
    /** How often a follower that inotify tells of writes looks anyway, in case an event was lost. */
    static final long WATCHED_POLL_MILLIS = 1000;

    private final JobStream stream;
    private final Context context;
    private final WorkerExecutor readers;
    private final FileWatcher watcher;
    private final Path logPath;
    private final LogReader reader;
    private final LogQuery query;
    private long pollMillis;
    private Closeable watch;
    /** The log changed while a read was running: read again rather than wait. */
    private boolean changedWhileReading;
    private Runnable onFinish = () -> { };
    private boolean started;
    private boolean reading;
    private boolean exited;
    private boolean finished;
    private long timer = -1;

    LogPump(JobStream stream, WorkerExecutor readers, FileWatcher watcher, Path logPath, LogQuery query, long pollMillis) {
        this.stream = stream;
        this.context = stream.context();
        this.readers = readers;
        this.watcher = watcher;
        this.logPath = logPath;
        this.query = query;
        this.pollMillis = pollMillis;
        this.reader = new LogReader(logPath, query, this);
    }

    /** Runs once the pump is done, whichever way. */
    void onFinish(Runnable action) {
        this.onFinish = action;
    }

    // ---- ChunkSink: called on the reading thread ------------------------------------------

    @Override
    public void write(Buffer chunk) {
        stream.write(chunk);
    }

    @Override
    public boolean full() {
        return stream.writeQueueFull() || stream.isCancelled();
    }

    // ---- on the context ---------------------------------------------------------------------

    void start() {
        started = true;
        stream.drainHandler(v -> readNext());
        stream.cancelHandler(v -> finish(false));
        if (stream.isCancelled()) {
            // The caller left before reading began.
            finish(false);
            return;
        }
        if (!query.follow() || exited || watcher == null || logPath == null) {
            readNext();
            return;
        }
        // Adding an inotify watch is a system call: on the pool, like the reads.
        readers.executeBlocking(() -> watcher.watch(logPath, () -> context.runOnContext(v -> logChanged())), false)
                .onComplete(ar -> {
                    Closeable added = ar.succeeded() ? ar.result() : null;
                    if (finished) {
                        closeOnPool(added);
                        return;
                    }
                    if (added != null) {
                        watch = added;
                        pollMillis = Math.max(pollMillis, WATCHED_POLL_MILLIS);
                    }
                    readNext();
                });
    }

    private void closeOnPool(Closeable closeable) {
        if (closeable != null) {
            readers.executeBlocking(() -> {
                closeable.close();
                return null;
            }, false);
        }
    }

    private void logChanged() {
        if (finished) {
            return;
        }
        if (reading) {
            changedWhileReading = true;
        } else if (timer >= 0) {
            context.owner().cancelTimer(timer);
            timer = -1;
            readNext();
        }
    }

    /** The container stopped: read what is left, then end. */
    void containerExited() {
        if (exited || finished) {
            return;
        }
        exited = true;
        if (started && timer >= 0) {
            context.owner().cancelTimer(timer);
            timer = -1;
            readNext();
        }
    }

    private void readNext() {
        if (reading || finished) {
            return;
        }
        reading = true;
        changedWhileReading = false;
        boolean lastPass = exited || !query.follow();
        readers.executeBlocking(reader::read, false).onComplete(ar -> {
            reading = false;
            if (finished) {
                release();
                return;
            }
            if (ar.failed()) {
                fail(ar.cause());
                return;
            }
            switch (ar.result()) {
                case FULL:
                    if (stream.isCancelled()) {
                        finish(false);
                    } else if (!stream.writeQueueFull()) {
                        // A drain that came during the read found nothing to restart.
                        readNext();
                    }
                    break;
                case FINISHED:
                    finish(true);
                    break;
                case CAUGHT_UP:
                default:
                    if (lastPass || untilPassed()) {
                        finish(true);
                    } else if (exited || changedWhileReading) {
                        readNext();
                    } else {
                        timer = context.owner().setTimer(pollMillis, id -> {
                            timer = -1;
                            readNext();
                        });
                    }
                    break;
            }
        });
    }

    private boolean untilPassed() {
        if (query.untilNanos() <= 0) {
            return false;
        }
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano() > query.untilNanos();
    }

    private void finish(boolean endStream) {
        if (finished) {
            return;
        }
        finished = true;
        if (timer >= 0) {
            context.owner().cancelTimer(timer);
            timer = -1;
        }
        try {
            onFinish.run();
        } finally {
            // The client's stream ends and the files close whatever the clean-up did.
            if (endStream) {
                stream.end();
            }
            if (!reading) {
                release();
            }
        }
    }

    private void fail(Throwable cause) {
        LOG.warn("reading a container log failed: {}", cause.toString());
        EngineException error = EngineException.from(cause);
        finish(false);
        stream.fail(EngineException.internal("error reading the log: " + error.getMessage(), cause));
    }

    /** Closes the files, on the pool: closing is a system call like any other. */
    private void release() {
        Closeable watching = watch;
        watch = null;
        readers.executeBlocking(() -> {
            if (watching != null) {
                watching.close();
            }
            reader.close();
            return null;
        }, false).onFailure(e -> LOG.debug("closing a container log failed", e));
    }
}
