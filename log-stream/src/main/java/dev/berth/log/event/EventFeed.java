package dev.berth.log.event;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.event.Event;
import dev.berth.bus.contract.event.EventLines;
import dev.berth.bus.stream.JobStream;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One reader of the journal: moves its cursor through the journal and writes the events its
 * filter takes into its stream, on the stream's context. It writes only while the stream has
 * room and otherwise waits for the drain; it holds no events of its own, so a reader that stops
 * reading costs nothing but its place in the journal. When the journal overwrites events it has
 * not read, the stream fails and says how many it missed, as a silent gap would mislead.
 */
final class EventFeed {
    /** Events taken from the journal per look; a chunk is cut at {@link #CHUNK_BYTES} anyway. */
    private static final int BATCH = 256;
    private static final int CHUNK_BYTES = 64 * 1024;

    private final EventJournal journal;
    private final EventFilter filter;
    private final JobStream stream;
    private final long since;
    private final long until;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private long cursor;
    private Runnable stopListening = () -> { };
    private long untilTimer = -1;
    private boolean done;

    /** {@code until} 0: never ends on its own. */
    EventFeed(EventJournal journal, EventFilter filter, JobStream stream, long cursor, long since, long until) {
        this.journal = journal;
        this.filter = filter;
        this.stream = stream;
        this.cursor = cursor;
        this.since = since;
        this.until = until;
    }

    /** Runs on the stream's context. */
    void start() {
        stream.cancelHandler(v -> close());
        stream.drainHandler(v -> pump());
        stopListening = journal.onAppend(this::schedule);
        if (until > 0) {
            long waitMillis = Math.max(1, (until - nowNanos()) / 1_000_000 + 1);
            untilTimer = stream.context().owner().setTimer(waitMillis, id -> {
                untilTimer = -1;
                pump();
            });
        }
        pump();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            stream.context().runOnContext(v -> {
                scheduled.set(false);
                pump();
            });
        }
    }

    private void pump() {
        while (!done && !stream.writeQueueFull()) {
            EventJournal.Slice slice = journal.from(cursor, BATCH);
            if (slice.missed() > 0) {
                finish(new EngineException(ErrorKind.UNAVAILABLE, "events reader fell behind: the journal dropped "
                        + slice.missed() + " events it had not read"));
                return;
            }
            if (slice.events().isEmpty()) {
                if (until > 0 && nowNanos() > until) {
                    finish(null);
                }
                return;
            }
            Buffer chunk = Buffer.buffer();
            for (Event event : slice.events()) {
                cursor = event.sequence() + 1;
                if (until > 0 && event.timeNano() > until) {
                    write(chunk);
                    finish(null);
                    return;
                }
                if (event.timeNano() >= since && filter.matches(event)) {
                    EventLines.append(chunk, event);
                    if (chunk.length() >= CHUNK_BYTES) {
                        break;
                    }
                }
            }
            write(chunk);
        }
    }

    private void write(Buffer chunk) {
        if (chunk.length() > 0) {
            stream.write(chunk);
        }
    }

    private void finish(EngineException error) {
        close();
        if (error == null) {
            stream.end();
        } else {
            stream.fail(error);
        }
    }

    private void close() {
        done = true;
        stopListening.run();
        if (untilTimer >= 0) {
            stream.context().owner().cancelTimer(untilTimer);
            untilTimer = -1;
        }
    }

    private static long nowNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
