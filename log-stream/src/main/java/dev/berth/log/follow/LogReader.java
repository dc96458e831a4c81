package dev.berth.log.follow;

import dev.berth.log.file.K8sLogScanner;
import dev.berth.log.file.LogSegments;
import dev.berth.log.file.MidLineStart;
import dev.berth.log.file.RecordSink;
import dev.berth.log.file.TailLocator;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
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

    private static final int OPEN_ATTEMPTS = 5;

    private final Path live;
    private final LogQuery query;
    private final ChunkSink sink;
    private final LogChunker chunker;
    /** The chunker, behind the skip of a line fragment the oldest file may begin with (see MidLineStart). */
    private final RecordSink records;
    /** The stream whose cut line is being skipped at the start of the oldest file; 0 when none. */
    private int skippingFragmentOf;
    /** The key of the oldest file opened, which alone can begin mid-line. */
    private Object oldestKey;
    private boolean opened;
    private boolean triedOnce;
    /**
     * The files still to read, oldest first, open since the job started (or since the follower
     * moved on to them), so that a rotation renaming them meanwhile changes nothing. The last one
     * was the live file when it was opened.
     */
    private List<FileChannel> files = new ArrayList<>();
    private int index;
    /** The key of the last of {@link #files}: when the live name has another key, it was rotated. */
    private Object lastKey;
    /** The file being read was rotated away; it gets one more pass before the switch. */
    private boolean drainedBeforeSwitch;
    private K8sLogScanner scanner;
    /** The live file's size when the job started: a read that does not follow stops there. */
    private long snapshotEnd;

    LogReader(Path live, LogQuery query, ChunkSink sink) {
        this.live = live;
        this.query = query;
        this.sink = sink;
        this.chunker = new LogChunker(query, sink);
        this.records = (header, first, last, data, offset, length) -> {
            if (skippingFragmentOf != 0 && header.stream() == skippingFragmentOf) {
                if (last && !header.partial()) {
                    skippingFragmentOf = 0; // the F record that ends the fragment
                }
                return true;
            }
            return chunker.accept(header, first, last, data, offset, length);
        };
    }

    Progress read() throws IOException {
        if (sink.full()) {
            return Progress.FULL;
        }
        if (!opened && !open()) {
            return query.follow() ? Progress.CAUGHT_UP : Progress.FINISHED;
        }
        while (true) {
            boolean onLast = index == files.size() - 1;
            long limit = onLast && !query.follow() ? snapshotEnd : Long.MAX_VALUE;
            K8sLogScanner.Outcome outcome = scanner.scan(limit, records);
            if (outcome == K8sLogScanner.Outcome.STOPPED) {
                if (chunker.pastUntil()) {
                    chunker.flush();
                    return Progress.FINISHED;
                }
                return Progress.FULL;
            }
            if (!onLast) {
                moveTo(index + 1, 0);
                continue;
            }
            chunker.flush();
            if (query.follow() && followRotation()) {
                continue;
            }
            return sink.full() ? Progress.FULL : Progress.CAUGHT_UP;
        }
    }

    /** Opens the log and finds where to start; false while there is no log yet. */
    private boolean open() throws IOException {
        boolean firstTry = !triedOnce;
        triedOnce = true;
        if (live == null || !openFiles()) {
            return false;
        }
        opened = true;
        FileChannel liveChannel = files.get(files.size() - 1);
        snapshotEnd = liveChannel.size();
        if (!firstTry || query.tail() < 0) {
            // A log that appeared after the job started is all new: every line of it is wanted.
            moveTo(0, 0);
            return true;
        }
        int wanted = query.tail();
        // A line conmon split may have its first pieces in an older file than its last.
        boolean[] open = new boolean[3];
        for (int i = files.size() - 1; i >= 0; i--) {
            FileChannel candidate = files.get(i);
            boolean onLive = i == files.size() - 1;
            TailLocator.Result found = TailLocator.locate(candidate, onLive ? snapshotEnd : candidate.size(), wanted, open);
            wanted -= found.found();
            if (wanted <= 0 || i == 0) {
                startTail(i, found.offset(), open);
                return true;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /**
     * Starts the tail found in files[i], or in an older file when a line to show began there: a
     * line conmon split with P records across a rotation is shown whole.
     */
    private void startTail(int i, long offset, boolean[] open) throws IOException {
        int from = i;
        long start = offset;
        while (TailLocator.anyOpen(open) && from > 0) {
            FileChannel older = files.get(from - 1);
            long end = older.size();
            long found = TailLocator.lineStarts(older, end, open).offset();
            if (found == end) {
                // No piece of those lines here: they began in the newer file.
                break;
            }
            from--;
            start = found;
        }
        moveTo(from, start);
    }

    /**
     * Opens every file of the log. A rotation between listing the names and opening them would
     * give a name another file: the keys are listed again afterwards, and a change means another
     * try.
     */
    private boolean openFiles() throws IOException {
        for (int attempt = 1; ; attempt++) {
            List<LogSegments.Segment> listed = LogSegments.of(live);
            if (listed.get(listed.size() - 1).key() == null) {
                return false;
            }
            List<FileChannel> channels = new ArrayList<>();
            boolean liveOpened = false;
            for (LogSegments.Segment segment : listed) {
                try {
                    channels.add(FileChannel.open(segment.path(), StandardOpenOption.READ));
                    liveOpened = segment.path().equals(live);
                } catch (NoSuchFileException e) {
                    // Rotated out meanwhile: the check below tells.
                }
            }
            List<LogSegments.Segment> after = LogSegments.of(live);
            if (liveOpened && (after.equals(listed) || attempt == OPEN_ATTEMPTS)) {
                files = channels;
                oldestKey = listed.get(0).key();
                lastKey = listed.get(listed.size() - 1).key();
                return true;
            }
            closeAll(channels);
            if (attempt == OPEN_ATTEMPTS) {
                return false;
            }
        }
    }

    /** Goes on in files[i] from {@code offset}, closing the files before it. */
    private void moveTo(int i, long offset) throws IOException {
        for (int j = index; j < i; j++) {
            files.get(j).close();
        }
        index = i;
        scanner = new K8sLogScanner(files.get(i), offset);
        MidLineStart.Note note = i == 0 && offset == 0 ? MidLineStart.of(live, oldestKey) : null;
        skippingFragmentOf = note == null ? 0 : note.stream();
    }

    /**
     * Once caught up with the last file: if the live name now has another file, the one read was
     * rotated away, and the follower goes on from the start of the file that came after it (the
     * next rotated one when it fell behind by more than one rotation, else the live one); if it
     * was truncated in place, from its new start. True when there is something new to read.
     */
    private boolean followRotation() throws IOException {
        Object key;
        long size;
        try {
            BasicFileAttributes attributes = Files.readAttributes(live, BasicFileAttributes.class);
            key = attributes.fileKey();
            size = attributes.size();
        } catch (NoSuchFileException e) {
            return false;
        }
        if (Objects.equals(key, lastKey)) {
            drainedBeforeSwitch = false;
            if (size < scanner.position()) {
                scanner = new K8sLogScanner(files.get(index), 0);
                return size > 0;
            }
            return false;
        }
        if (!drainedBeforeSwitch) {
            // conmon may have written to the old file after the last pass and before it closed it.
            drainedBeforeSwitch = true;
            return true;
        }
        List<LogSegments.Segment> now = LogSegments.of(live);
        int at = -1;
        for (int i = 0; i < now.size(); i++) {
            if (Objects.equals(now.get(i).key(), lastKey)) {
                at = i;
            }
        }
        if (at == now.size() - 1) {
            return false;
        }
        // Not found: it was rotated out of the kept files, and so may have been the ones after it.
        LogSegments.Segment next = now.get(at + 1);
        FileChannel successor;
        try {
            successor = FileChannel.open(next.path(), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return true;
        }
        if (!Objects.equals(LogSegments.keyOf(next.path()), next.key())) {
            // Another rotation renamed it meanwhile: look again.
            successor.close();
            return true;
        }
        drainedBeforeSwitch = false;
        files.get(index).close();
        files = new ArrayList<>(List.of(successor));
        index = 0;
        lastKey = next.key();
        scanner = new K8sLogScanner(successor, 0);
        return true;
    }

    private static void closeAll(List<FileChannel> channels) throws IOException {
        IOException failure = null;
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() throws IOException {
        closeAll(files.subList(Math.min(index, files.size()), files.size()));
    }
}
