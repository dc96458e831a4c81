package dev.berth.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * What the serving side of a bus remembers of the jobs it ran, by idempotency key, so that a job
 * delivered twice (a transport that redelivers, a caller that resends) runs once: the second
 * copy joins the first while it runs and gets its outcome afterwards.
 *
 * <p>Memory is bounded four ways: an outcome is kept for a while after it completes (10 min by
 * default), at most so many keys are kept (4096; the oldest go first), the outcomes kept weigh at
 * most so much (16 MiB; the oldest go first), and an outcome bigger than a limit (64 KiB) is not
 * kept at all: such replies come from queries (a long {@code ps}), which may safely run again. An outcome the caller may retry for ({@link #retryable}: the worker was
 * unavailable, out of time, or broke) is forgotten at once, so a retry runs the job again.
 */
public final class IdempotencyCache<T> {
    public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_KEYS = 4096;
    public static final int DEFAULT_MAX_OUTCOME_BYTES = 64 * 1024;
    public static final long DEFAULT_MAX_TOTAL_BYTES = 16L << 20;

    private final long retentionMillis;
    private final int maxKeys;
    private final int maxOutcomeBytes;
    private final long maxTotalBytes;
    private long totalBytes;
    private final ToIntFunction<T> sizeOf;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Entry<T>> entries = new LinkedHashMap<>();

    private static final class Entry<T> {
        final Future<T> outcome;
        /** Long.MAX_VALUE while the job runs. */
        long expiresAtMillis = Long.MAX_VALUE;
        int bytes;

        Entry(Future<T> outcome) {
            this.outcome = outcome;
        }
    }

    public IdempotencyCache(Duration retention, int maxKeys, int maxOutcomeBytes, long maxTotalBytes, ToIntFunction<T> sizeOf,
            LongSupplier clock) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be positive");
        }
        this.retentionMillis = retention.toMillis();
        this.maxKeys = maxKeys;
        this.maxOutcomeBytes = maxOutcomeBytes;
        this.maxTotalBytes = maxTotalBytes;
        this.sizeOf = sizeOf;
        this.clock = clock;
    }

    public IdempotencyCache(ToIntFunction<T> sizeOf) {
        this(DEFAULT_RETENTION, DEFAULT_MAX_KEYS, DEFAULT_MAX_OUTCOME_BYTES, DEFAULT_MAX_TOTAL_BYTES, sizeOf, System::currentTimeMillis);
    }

    /** True for failures after which the same job may be tried again. */
    public static boolean retryable(Throwable failure) {
        ErrorKind kind = EngineException.from(failure).kind();
        return kind == ErrorKind.UNAVAILABLE || kind == ErrorKind.DEADLINE_EXCEEDED || kind == ErrorKind.INTERNAL;
    }

    /**
     * The outcome of the job under {@code key}: the remembered one, the running one, or that of
     * {@code run}, which starts it. {@code run} is called outside the cache's lock.
     */
    public Future<T> once(String key, Supplier<Future<T>> run) {
        Promise<T> promise = Promise.promise();
        Entry<T> entry = new Entry<>(promise.future());
        synchronized (this) {
            expire();
            Entry<T> known = entries.get(key);
            if (known != null) {
                return known.outcome;
            }
            entries.put(key, entry);
            trim();
        }
        Future<T> outcome;
        try {
            outcome = run.get();
        } catch (RuntimeException e) {
            outcome = Future.failedFuture(e);
        }
        outcome.onComplete(ar -> {
            int bytes = ar.succeeded() ? sizeOf(ar.result()) : 0;
            settle(key, entry, ar.succeeded() ? bytes <= maxOutcomeBytes : !retryable(ar.cause()), bytes);
            if (ar.succeeded()) {
                promise.complete(ar.result());
            } else {
                promise.fail(ar.cause());
            }
        });
        return promise.future();
    }

    /**
     * Claims a key for a job that cannot be replayed (a stream: its outcome is the stream
     * itself): true the first time, false when the key was seen recently.
     */
    public synchronized boolean claim(String key) {
        expire();
        if (entries.containsKey(key)) {
            return false;
        }
        Entry<T> entry = new Entry<>(Future.succeededFuture());
        entry.expiresAtMillis = clock.getAsLong() + retentionMillis;
        entries.put(key, entry);
        trim();
        return true;
    }

    public synchronized int size() {
        return entries.size();
    }

    private int sizeOf(T value) {
        return value == null ? 0 : sizeOf.applyAsInt(value);
    }

    private synchronized void settle(String key, Entry<T> entry, boolean keep, int bytes) {
        if (entries.get(key) != entry) {
            return;
        }
        if (keep) {
            entry.expiresAtMillis = clock.getAsLong() + retentionMillis;
            entry.bytes = bytes;
            totalBytes += bytes;
            trim();
        } else {
            entries.remove(key);
        }
    }

    /** Bytes of the outcomes kept now. */
    public synchronized long totalBytes() {
        return totalBytes;
    }

    private void expire() {
        long now = clock.getAsLong();
        // Entries are in insertion order, not expiry order (a long job expires late): look at all
        // of them only when the oldest has expired, which bounds the work per call on average.
        Iterator<Map.Entry<String, Entry<T>>> it = entries.entrySet().iterator();
        if (!it.hasNext() || it.next().getValue().expiresAtMillis > now) {
            return;
        }
        entries.values().removeIf(e -> {
            if (e.expiresAtMillis > now) {
                return false;
            }
            totalBytes -= e.bytes;
            return true;
        });
    }

    private void trim() {
        Iterator<Map.Entry<String, Entry<T>>> it = entries.entrySet().iterator();
        while ((entries.size() > maxKeys || totalBytes > maxTotalBytes) && it.hasNext()) {
            totalBytes -= it.next().getValue().bytes;
            it.remove();
        }
    }
}
