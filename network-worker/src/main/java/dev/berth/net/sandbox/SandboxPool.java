package dev.berth.net.sandbox;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Default-bridge sandboxes made ahead of time on a thread of its own, so that a container's start
 * takes one (a pin, one rtnetlink request and a few ioctls) instead of making a namespace and a
 * veth pair on its path. A start that finds the pool empty makes its sandbox as before. The pool
 * shares no lock with the starts; the refill is asked for once the start's sandbox is done, as
 * making a namespace and a veth takes the kernel's rtnl lock that the start's own request needs.
 */
public final class SandboxPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxPool.class);

    /**
     * Fixed at two: {@code docker run} takes one at a time, and a refill (about 5 ms a sandbox here)
     * is done long before the next start needs one; the second covers two starts close together.
     * Each one held costs a namespace and a veth pair while the daemon is idle.
     */
    public static final int SIZE = 2;

    /** Makes one spare sandbox; the pool's unit test fakes it. */
    public interface Maker {
        SpareSandbox make() throws IOException;
    }

    private final Maker maker;
    private final int size;
    private final Queue<SpareSandbox> ready = new ConcurrentLinkedQueue<>();
    private final ExecutorService refiller = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "berth-sandbox-pool");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    public SandboxPool(Maker maker, int size) {
        this.maker = maker;
        this.size = size;
    }

    /** Fills the pool in the background. */
    public void start() {
        refill();
    }

    /** A spare sandbox, or null when none is ready (the caller makes one the usual way); then call {@link #refill}. */
    public SpareSandbox take() {
        return closed ? null : ready.poll();
    }

    /** Spares ready now. */
    public int ready() {
        return ready.size();
    }

    /** Makes up in the background for the spares taken. */
    public void refill() {
        if (closed) {
            return;
        }
        try {
            refiller.execute(this::fill);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closing: nothing more is made.
        }
    }

    /** On the pool's thread, the only one that adds: the pool never holds more than its size. */
    private void fill() {
        while (!closed && ready.size() < size) {
            SpareSandbox spare;
            try {
                spare = maker.make();
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot prepare a sandbox ahead of time (starts make their own): {}", e.toString());
                return;
            }
            ready.add(spare);
            if (closed) {
                discardReady();
            }
        }
    }

    /** Stops the refill and deletes the spares (the daemon is stopping). */
    @Override
    public void close() {
        closed = true;
        refiller.shutdown();
        try {
            if (!refiller.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("the sandbox pool's refill did not end within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        discardReady();
    }

    private void discardReady() {
        for (SpareSandbox spare = ready.poll(); spare != null; spare = ready.poll()) {
            spare.discard();
        }
    }
}
