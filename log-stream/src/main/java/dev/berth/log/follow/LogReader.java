package dev.berth.log.follow;

import dev.berth.log.file.K8sLogScanner;
import dev.berth.log.file.LogSegments;
import dev.berth.log.file.TailLocator;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;

/**
 * Reads one container's log for one logs.read job: the chosen part of what the log holds when
 * the job starts, then, when following, whatever is appended. Each {@link #read} goes as far as it
 * can and returns; the caller decides when to call again (after a drain, on a timer, after the
 * container's exit). Memory is one block plus one chunk, whatever the log's size.
 *
 * <p>Not thread-safe: one {@link #read} at a time, which may be on different threads in turn.
 */
final class LogReader implements Closeable {
    /** How far a {@link #read} got. */
    enum Progress {
        /** The sink asked to wait; call again once it has room. */
        FULL,
        /** Everything there is has been read (up to the job's start, when not following). */
        CAUGHT_UP,
        /** Nothing more will be wanted: a line past {@code until}, or no log and no following. */
        FINISHED
    }

    private final Path live;
    private final LogQuery query;
    private final ChunkSink sink;
    private final LogChunker chunker;
    private boolean opened;
    private boolean triedOnce;
    private List<Path> segments;
    private int segment;
    private FileChannel liveChannel;
    private Object liveKey;
    /** The live file was replaced; the old one gets one more pass before the switch. */
    private boolean drainedBeforeSwitch;
    private FileChannel channel;
    private K8sLogScanner scanner;
    /** The live file's size when the job started: a read that does not follow stops there. */
    private long snapshotEnd;

    LogReader(Path live, LogQuery query, ChunkSink sink) {
        this.live = live;
        this.query = query;
        this.sink = sink;
        this.chunker = new LogChunker(query, sink);
    }

    Progress read() throws IOException {
        if (sink.full()) {
            return Progress.FULL;
        }
        if (!opened && !open()) {
            return query.follow() ? Progress.CAUGHT_UP : Progress.FINISHED;
        }
        while (true) {
            boolean onLive = segment == segments.size() - 1;
            long limit = onLive && !query.follow() ? snapshotEnd : Long.MAX_VALUE;
            K8sLogScanner.Outcome outcome = scanner.scan(limit, chunker);
            if (outcome == K8sLogScanner.Outcome.STOPPED) {
                if (chunker.pastUntil()) {
                    chunker.flush();
                    return Progress.FINISHED;
                }
                return Progress.FULL;
            }
            if (!onLive) {
                openSegment(segment + 1, 0);
                continue;
            }
            chunker.flush();
            if (query.follow() && followReplacedFile()) {
                continue;
            }
            return sink.full() ? Progress.FULL : Progress.CAUGHT_UP;
        }
    }

    /** Opens the log and finds where to start; false while there is no log yet. */
    private boolean open() throws IOException {
        boolean firstTry = !triedOnce;
        triedOnce = true;
        if (live == null) {
            return false;
        }
        try {
            liveChannel = FileChannel.open(live, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        opened = true;
        liveKey = fileKey(live);
        snapshotEnd = liveChannel.size();
        segments = LogSegments.of(live);
        if (!firstTry || query.tail() < 0) {
            // A log that appeared after the job started is all new: every line of it is wanted.
            openSegment(0, 0);
            return true;
        }
        int wanted = query.tail();
        for (int i = segments.size() - 1; i >= 0; i--) {
            boolean onLive = i == segments.size() - 1;
            FileChannel candidate = onLive ? liveChannel : FileChannel.open(segments.get(i), StandardOpenOption.READ);
            TailLocator.Result found = TailLocator.locate(candidate, onLive ? snapshotEnd : candidate.size(), wanted);
            if (!onLive) {
                candidate.close();
            }
            wanted -= found.found();
            if (wanted <= 0 || i == 0) {
                openSegment(i, found.offset());
                return true;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private void openSegment(int index, long offset) throws IOException {
        if (channel != null && channel != liveChannel) {
            channel.close();
        }
        segment = index;
        channel = index == segments.size() - 1 ? liveChannel : FileChannel.open(segments.get(index), StandardOpenOption.READ);
        scanner = new K8sLogScanner(channel, offset);
    }

    /**
     * Once caught up with the live file: if another file now has its name (rotated, or conmon's
     * size limit replaced it), goes on from the start of the new one; if it was truncated in
     * place, from its new start. True when there is something new to read.
     */
    private boolean followReplacedFile() throws IOException {
        Object key;
        long size;
        try {
            BasicFileAttributes attributes = Files.readAttributes(live, BasicFileAttributes.class);
            key = attributes.fileKey();
            size = attributes.size();
        } catch (NoSuchFileException e) {
            return false;
        }
        if (!Objects.equals(key, liveKey)) {
            if (!drainedBeforeSwitch) {
                // conmon may have written to the old file after the last pass and before the rename.
                drainedBeforeSwitch = true;
                return true;
            }
            drainedBeforeSwitch = false;
            FileChannel replacement;
            try {
                replacement = FileChannel.open(live, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return false;
            }
            liveChannel.close();
            liveChannel = replacement;
            channel = replacement;
            liveKey = key;
            scanner = new K8sLogScanner(replacement, 0);
            return true;
        }
        if (size < scanner.position()) {
            scanner = new K8sLogScanner(liveChannel, 0);
            return size > 0;
        }
        return false;
    }

    private static Object fileKey(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }

    @Override
    public void close() throws IOException {
        try {
            if (channel != null && channel != liveChannel) {
                channel.close();
            }
        } finally {
            if (liveChannel != null) {
                liveChannel.close();
            }
        }
    }
}
