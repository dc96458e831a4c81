package dev.berth.net.bridge;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the host ends of released veths on a thread of its own, off the container's exit and
 * removal path. Deleting a network device waits on the kernel (synchronize_net under the rtnl
 * lock, then an rcu_barrier): measured here at a median of 27 ms (10 to 43 ms), which every
 * {@code docker run --rm} waited for, and the whole of what the default bridge cost over
 * {@code --network none} beyond a few ms (see docs/design.md, "The bridge's cost off the path").
 *
 * <p>Callers unpin the namespace before handing its veth over, so the kernel is tearing the pair
 * down already: a daemon killed before the deletion leaks nothing (and its restart deletes any
 * veth on a bridge that no endpoint owns). What must wait for the device to be gone waits here:
 * the address goes back to its pool only after it (so that no new container shares it with an
 * interface still on the bridge), and a veth of the same name (the container starting again) is
 * made only after it.
 */
public final class VethReaper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VethReaper.class);
    private static final long DRAIN_SECONDS = 60;

    /** The deletion itself: an interface that is gone already is not an error. */
    public interface Deletion {
        void delete(String hostVeth) throws IOException;
    }

    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread reaper = new Thread(runnable, "berth-veth-reaper");
        reaper.setDaemon(true);
        return reaper;
    });
    private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

    /**
     * Deletes the veth later, then runs {@code afterwards} (on the reaper's thread). When the
     * deletion fails, {@code afterwards} does not run: what it releases stays taken until the next
     * start of the daemon reconciles the bridge.
     */
    public void deleteLater(String hostVeth, Deletion deletion, Runnable afterwards) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        // One thread, in order: a later deletion of the same name completes after an earlier one.
        pending.put(hostVeth, done);
        thread.execute(() -> {
            try {
                deletion.delete(hostVeth);
                afterwards.run();
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot delete {}: {}; the next start of the daemon deletes it", hostVeth, e.toString());
            } finally {
                pending.remove(hostVeth, done);
                done.complete(null);
            }
        });
    }

    /** Returns once no deletion of that interface is pending: before a veth of the same name is made. */
    public void awaitGone(String hostVeth) throws IOException {
        CompletableFuture<Void> deletion = pending.get(hostVeth);
        if (deletion != null) {
            await(deletion);
        }
    }

    /** Returns once every deletion handed over so far is done (an address asked for by --ip may be waiting in one). */
    public void awaitAll() throws IOException {
        await(CompletableFuture.allOf(pending.values().toArray(new CompletableFuture<?>[0])));
    }

    /** Pending deletions, for the debug log and tests. */
    public int pending() {
        return pending.size();
    }

    private static void await(CompletableFuture<?> deletion) throws IOException {
        try {
            deletion.get(DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a veth's deletion");
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("a veth's deletion did not finish: " + e, e);
        }
    }

    /** Finishes the deletions handed over (the daemon is stopping), then ends the thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("{} veth deletions still pending at shutdown; the next start deletes them", pending.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
