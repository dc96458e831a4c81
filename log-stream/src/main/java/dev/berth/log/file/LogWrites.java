package dev.berth.log.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes conmon has written to the containers' log files since this counter was made (the log
 * worker's start), derived from the files' growth: conmon writes them, so nobody sees the bytes go
 * by. Each file is known by its key (device and inode), which renames keep; a measurement adds
 * what each file of a container's log holds beyond what was counted of it before, so the total
 * only grows, whatever order measurements and rotations come in.
 *
 * <p>Bytes are lost to a measurement only when a file goes before they were seen, so whoever
 * removes files measures first: a rotation measures before it drops the oldest file (under the
 * same lock, so no measurement sees its renames half done), and the removal of a container has its
 * log measured ({@link #retire}) before the files are deleted. With max-file=1, conmon's reopen
 * drops the live file itself; the rotation then holds it open until a measurement has seen that
 * conmon moved on (conmon closes the old file before it renames the new one into place), so its
 * last bytes are counted too.
 *
 * <p>All methods do file work: call them on worker threads.
 */
public final class LogWrites {
    private static final int MAX_ROTATED = 1000;
    /** Removed containers remembered, so that a late start event does not bring one back. */
    private static final int RETIRED_REMEMBERED = 4096;

    private final AtomicLong total = new AtomicLong();
    private final Map<String, Tracked> containers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> retired = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RETIRED_REMEMBERED;
        }
    };

    private static final class Tracked {
        final Path live;
        /** What has been counted of each file of the log still there (or held). */
        final Map<Object, Long> counted = new HashMap<>();
        boolean running;
        /** The live file a single-file rotation is dropping, and its key. */
        FileChannel held;
        Object heldKey;

        Tracked(Path live) {
            this.live = live;
        }
    }

    /** The bytes counted so far. */
    public long total() {
        return total.get();
    }

    /**
     * A container's log as it is when counting starts (the worker's start): what it already
     * holds was written before, and is not counted. No-op for a container already tracked.
     */
    public void baseline(String id, Path live) throws IOException {
        Tracked t = track(id, live);
        if (t == null) {
            return;
        }
        synchronized (t) {
            if (t.counted.isEmpty()) {
                for (Map.Entry<Object, Long> file : files(t.live).entrySet()) {
                    t.counted.put(file.getKey(), file.getValue());
                }
            }
        }
    }

    /** The container runs: its log is measured at each {@link #measureRunning}. */
    public void started(String id, Path live) {
        Tracked t = track(id, live);
        if (t != null) {
            synchronized (t) {
                t.running = true;
            }
        }
    }

    /** The container stopped (conmon wrote all it had before the exit was known): a last measurement. */
    public void stopped(String id) throws IOException {
        Tracked t = containers.get(id);
        if (t != null) {
            synchronized (t) {
                measure(t);
                t.running = false;
                if (t.held != null && t.heldKey.equals(LogSegments.keyOf(t.live))) {
                    // No conmon is left to replace it: the file stays, and is measured by its name.
                    release(t);
                }
            }
        }
    }

    /** Measures the logs of the running containers; answers the total. */
    public long measureRunning() throws IOException {
        for (Tracked t : containers.values()) {
            synchronized (t) {
                if (t.running) {
                    measure(t);
                }
            }
        }
        return total.get();
    }

    /**
     * The container's log files are about to be deleted: what they hold beyond what was counted
     * is counted, and the container forgotten. A container never tracked (created after the
     * worker started and never seen running) has its files counted in full.
     */
    public void retire(String id, Path live) throws IOException {
        Tracked t;
        synchronized (retired) {
            retired.put(id, Boolean.TRUE);
            t = containers.remove(id);
        }
        if (t == null) {
            t = new Tracked(live);
        }
        synchronized (t) {
            measure(t);
            release(t);
        }
    }

    /**
     * Runs a rotation of a tracked container's log so that no measurement sees it half done.
     * {@code rotation} gets the measurement to make just before it changes any name; when it has
     * rotated (answered true) and keeps a single file, the live file is held until conmon's
     * reopen has replaced it.
     */
    public boolean rotate(String id, Path live, int maxFiles, Rotation rotation) throws IOException {
        Tracked t = track(id, live);
        if (t == null) {
            return false;
        }
        synchronized (t) {
            boolean rotated = rotation.rotate(() -> measure(t));
            if (rotated) {
                // The file it dropped may lend its inode to conmon's next one at once.
                forgetGone(t, files(t.live).keySet());
                if (maxFiles == 1) {
                    hold(t);
                }
            }
            return rotated;
        }
    }

    /** A rotation, handed the measurement it makes before it renames or deletes. */
    @FunctionalInterface
    public interface Rotation {
        boolean rotate(LogRotation.BeforeRotating measure) throws IOException;
    }

    private Tracked track(String id, Path live) {
        synchronized (retired) {
            if (retired.containsKey(id)) {
                return null;
            }
            return containers.computeIfAbsent(id, k -> new Tracked(live));
        }
    }

    private void measure(Tracked t) throws IOException {
        Map<Object, Long> sizes = files(t.live);
        if (t.held != null) {
            long size = t.held.size();
            if (sizes.containsKey(t.heldKey)) {
                sizes.put(t.heldKey, Math.max(size, sizes.get(t.heldKey)));
            } else {
                // conmon closed it before renaming its new file over it: this size is its last.
                add(t, t.heldKey, size);
                release(t);
            }
        }
        for (Map.Entry<Object, Long> file : sizes.entrySet()) {
            add(t, file.getKey(), file.getValue());
        }
        forgetGone(t, sizes.keySet());
    }

    /** A file that went was counted before it went; its key may come back on a new file. */
    private static void forgetGone(Tracked t, Set<Object> present) {
        Set<Object> gone = new HashSet<>(t.counted.keySet());
        gone.removeAll(present);
        if (t.held != null) {
            gone.remove(t.heldKey);
        }
        t.counted.keySet().removeAll(gone);
    }

    private void add(Tracked t, Object key, long size) {
        long before = t.counted.getOrDefault(key, 0L);
        if (size > before) {
            total.addAndGet(size - before);
            t.counted.put(key, size);
        }
    }

    private static void hold(Tracked t) throws IOException {
        Object key = LogSegments.keyOf(t.live);
        if (key == null || key.equals(t.heldKey)) {
            return;
        }
        release(t);
        try {
            t.held = FileChannel.open(t.live, StandardOpenOption.READ);
            t.heldKey = key;
        } catch (NoSuchFileException e) {
            // Replaced already: what was not measured before the rotation is lost.
        }
    }

    private static void release(Tracked t) throws IOException {
        if (t.held != null) {
            FileChannel held = t.held;
            t.held = null;
            t.heldKey = null;
            held.close();
        }
    }

    /** The size of each file of the log by key: the live one and log.1, log.2, … while they exist. */
    private static Map<Object, Long> files(Path live) throws IOException {
        Map<Object, Long> sizes = new HashMap<>();
        put(sizes, live);
        for (int i = 1; i <= MAX_ROTATED; i++) {
            if (!put(sizes, LogSegments.rotated(live, i))) {
                break;
            }
        }
        return sizes;
    }

    private static boolean put(Map<Object, Long> sizes, Path file) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isRegularFile()) {
                sizes.put(attributes.fileKey(), attributes.size());
            }
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }
}
