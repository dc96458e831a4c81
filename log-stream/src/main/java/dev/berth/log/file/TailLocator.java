package dev.berth.log.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Finds where the last N lines of a k8s-file log begin, reading the file backwards one block at a
 * time, so `--tail` costs what it shows rather than what the log holds.
 *
 * <p>A line is the run of P records of one stream up to and including its F record; a run of P
 * records with no F yet (the container is still writing that line) counts as a line too. Lines are
 * counted by their last record. The output starts where the earliest of the counted lines starts:
 * a counted line that began with P records before the last count, of its stream or the other, is
 * shown whole, with whatever the other stream wrote meanwhile. Its start may be in an older file
 * of a rotated log (conmon split it across a rotation): the per-stream {@code open} state says so,
 * and {@link #lineStarts} looks for it there.
 */
public final class TailLocator {
    /** Where to start reading, and how many lines were found before it (fewer than asked at the file's start). */
    public record Result(long offset, int found) {
    }

    private final FileChannel channel;
    private final byte[] block;
    private final byte[] headerBytes = new byte[K8sLogFormat.MAX_HEADER];
    private final K8sLogFormat.Header header = new K8sLogFormat.Header();

    // The scan's state.
    /** By stream number: a counted line whose first record has not been met yet. */
    private final boolean[] open;
    private long blockStart;
    private int blockLength;
    private int found;
    private long offset;

    private TailLocator(FileChannel channel, int blockSize, boolean[] open) {
        this.channel = channel;
        this.open = open;
        this.block = new byte[blockSize];
    }

    /** The start of the last {@code lines} lines among the records that end before {@code end}. */
    public static Result locate(FileChannel channel, long end, int lines) throws IOException {
        return locate(channel, end, lines, K8sLogScanner.BLOCK, new boolean[3]);
    }

    /**
     * The same, for one file of a rotated log read newest file first: {@code open} says, by stream
     * number, which streams have a counted line in the newer files whose start is not known yet
     * (all false for the newest file), and is updated for the next older one. A P record at a
     * file's end continues such a line; it ends no line there. When this file gave all the lines
     * wanted and some are still open, their starts are in the older files: see {@link #lineStarts}.
     */
    public static Result locate(FileChannel channel, long end, int lines, boolean[] open) throws IOException {
        return locate(channel, end, lines, K8sLogScanner.BLOCK, open);
    }

    static Result locate(FileChannel channel, long end, int lines, int blockSize) throws IOException {
        return locate(channel, end, lines, blockSize, new boolean[3]);
    }

    static Result locate(FileChannel channel, long end, int lines, int blockSize, boolean[] open) throws IOException {
        if (lines <= 0) {
            return new Result(end, 0);
        }
        return new TailLocator(channel, blockSize, open).run(end, lines);
    }

    /**
     * Once every line wanted has been counted in newer files: where the lines still {@code open}
     * begin in this older one, whose records end before {@code end}; {@code end} when none has a
     * piece here. {@code open} is updated: a stream still open has its line going back further.
     */
    public static Result lineStarts(FileChannel channel, long end, boolean[] open) throws IOException {
        return lineStarts(channel, end, open, K8sLogScanner.BLOCK);
    }

    static Result lineStarts(FileChannel channel, long end, boolean[] open, int blockSize) throws IOException {
        TailLocator locator = new TailLocator(channel, blockSize, open);
        // Nothing left to count: only the starts are looked for.
        locator.found = 1;
        return locator.run(end, 1);
    }

    /** Whether some stream has a counted line whose start is not known yet. */
    public static boolean anyOpen(boolean[] open) {
        for (boolean o : open) {
            if (o) {
                return true;
            }
        }
        return false;
    }

    private Result run(long end, int wanted) throws IOException {
        offset = end;
        long recordEnd = -1;
        blockStart = end;
        while (blockStart > 0) {
            blockLength = (int) Math.min(block.length, blockStart);
            blockStart -= blockLength;
            readFully(ByteBuffer.wrap(block, 0, blockLength), blockStart);
            for (int i = blockLength - 1; i >= 0; i--) {
                if (block[i] != '\n') {
                    continue;
                }
                long newline = blockStart + i;
                if (recordEnd >= 0 && visit(newline + 1, recordEnd, wanted)) {
                    return new Result(offset, found);
                }
                // Bytes after the last newline are a record still being written: not counted.
                recordEnd = newline + 1;
            }
        }
        if (recordEnd > 0 && visit(0, recordEnd, wanted)) {
            return new Result(offset, found);
        }
        return new Result(found < wanted ? 0 : offset, found);
    }

    /** Looks at the record in [start, end); true once the start of the wanted lines is known. */
    private boolean visit(long start, long end, int wanted) throws IOException {
        if (!parseHeader(start, end - 1)) {
            return false;
        }
        int stream = header.stream();
        if (found < wanted) {
            // Every record met while counting is part of a counted line.
            boolean endsLine = !header.partial() || !open[stream];
            open[stream] = true;
            offset = start;
            if (endsLine) {
                found++;
            }
            return false;
        }
        if (!open[stream]) {
            return false;
        }
        if (header.partial()) {
            offset = start;
            return false;
        }
        // The F record before a counted line's first P: that line starts right after it.
        open[stream] = false;
        return !anyOpen(open);
    }

    private boolean parseHeader(long start, long newline) throws IOException {
        int length = (int) Math.min(K8sLogFormat.MAX_HEADER, newline - start);
        long inBlock = start - blockStart;
        if (inBlock >= 0 && inBlock + length <= blockLength) {
            return K8sLogFormat.parseHeader(block, (int) inBlock, (int) inBlock + length, header);
        }
        readFully(ByteBuffer.wrap(headerBytes, 0, length), start);
        return K8sLogFormat.parseHeader(headerBytes, 0, length, header);
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("the log shrank while it was read");
            }
            at += n;
        }
    }
}
