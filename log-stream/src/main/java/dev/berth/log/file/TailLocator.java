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
 * counted by their last record. When a counted line began with P records between which records of
 * the other stream were written, those records are shown as well: the output starts where the
 * earliest counted line starts.
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
    private final boolean[] seenLater;
    private long blockStart;
    private int blockLength;
    private int found;
    private long offset;
    private int targetStream = -1;

    private TailLocator(FileChannel channel, int blockSize, boolean[] seenLater) {
        this.channel = channel;
        this.seenLater = seenLater;
        this.block = new byte[blockSize];
    }

    /** The start of the last {@code lines} lines among the records that end before {@code end}. */
    public static Result locate(FileChannel channel, long end, int lines) throws IOException {
        return locate(channel, end, lines, K8sLogScanner.BLOCK, new boolean[3]);
    }

    /**
     * The same, for one file of a rotated log read newest file first: {@code seenLater} says, by
     * stream number, which streams have records in the newer files, and is updated for the next
     * older one. A P record at a file's end continues in the next file; it ends no line there.
     */
    public static Result locate(FileChannel channel, long end, int lines, boolean[] seenLater) throws IOException {
        return locate(channel, end, lines, K8sLogScanner.BLOCK, seenLater);
    }

    static Result locate(FileChannel channel, long end, int lines, int blockSize) throws IOException {
        return locate(channel, end, lines, blockSize, new boolean[3]);
    }

    static Result locate(FileChannel channel, long end, int lines, int blockSize, boolean[] seenLater) throws IOException {
        if (lines <= 0) {
            return new Result(end, 0);
        }
        return new TailLocator(channel, blockSize, seenLater).run(end, lines);
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
        if (targetStream < 0) {
            boolean endsLine = !header.partial() || !seenLater[stream];
            seenLater[stream] = true;
            if (endsLine) {
                found++;
                offset = start;
                if (found == wanted) {
                    targetStream = stream;
                }
            }
            return false;
        }
        if (stream != targetStream) {
            return false;
        }
        if (header.partial()) {
            offset = start;
            return false;
        }
        return true;
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
