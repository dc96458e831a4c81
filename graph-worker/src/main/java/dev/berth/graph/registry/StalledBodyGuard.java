package dev.berth.graph.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a response body that stops arriving. The JDK's HTTP client times a request out only until
 * its headers come; a registry (or a network path) that then goes silent would hold a pull's
 * read for ever. A guarded body whose read has waited longer than the limit for a byte is
 * closed, and the read fails with an error that says so: the pull then resumes with Range or
 * gives up with that message. Time the caller spends between reads (writing to disk) never
 * counts.
 */
final class StalledBodyGuard {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "berth-registry-stall-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private StalledBodyGuard() {
    }

    /** The body, closed and failed when one read waits longer than {@code limit}. */
    static InputStream guard(InputStream body, Duration limit, String what) {
        return new Guarded(body, limit, what);
    }

    private static final class Guarded extends FilterInputStream {
        private final long limitNanos;
        private final String what;
        private final ScheduledFuture<?> check;
        /** When the read in progress began, 0 between reads. */
        private volatile long readingSince;
        private volatile boolean stalled;

        Guarded(InputStream body, Duration limit, String what) {
            super(body);
            this.limitNanos = limit.toNanos();
            this.what = what;
            long period = Math.max(limitNanos / 4, TimeUnit.MILLISECONDS.toNanos(50));
            this.check = WATCHDOG.scheduleAtFixedRate(this::closeIfStalled, period, period, TimeUnit.NANOSECONDS);
        }

        private void closeIfStalled() {
            long since = readingSince;
            if (since != 0 && System.nanoTime() - since > limitNanos) {
                stalled = true;
                check.cancel(false);
                try {
                    in.close();
                } catch (IOException ignored) {
                    // the reader learns of the stall from its failed read
                }
            }
        }

        @Override
        public int read() throws IOException {
            begin();
            try {
                return super.read();
            } catch (IOException e) {
                throw failure(e);
            } finally {
                readingSince = 0;
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            begin();
            try {
                int n = super.read(buffer, offset, length);
                if (n < 0 && stalled) {
                    throw failure(null);
                }
                return n;
            } catch (IOException e) {
                throw failure(e);
            } finally {
                readingSince = 0;
            }
        }

        private void begin() throws IOException {
            if (stalled) {
                throw failure(null);
            }
            readingSince = System.nanoTime();
        }

        private IOException failure(IOException cause) {
            if (!stalled) {
                return cause;
            }
            IOException timeout = new IOException("no data from the registry for " + describe(limitNanos)
                    + " while reading " + what);
            if (cause != null) {
                timeout.addSuppressed(cause);
            }
            return timeout;
        }

        @Override
        public void close() throws IOException {
            check.cancel(false);
            super.close();
        }
    }

    /** A duration as a person reads it in an error: "30s", "1.5s". */
    private static String describe(long nanos) {
        double seconds = nanos / 1e9;
        return seconds == Math.rint(seconds) ? (long) seconds + "s" : seconds + "s";
    }
}
