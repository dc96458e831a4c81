package dev.berth.log.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads k8s-file records forwards from an offset, one block at a time, and hands them to a
 * {@link RecordSink}. Only records ended by their newline are handed over, so a record conmon is
 * still writing waits for the next scan; the exception is a record longer than the block, which
 * goes out in pieces as it is read. Lines that are not records are skipped. Memory stays at one
 * block however long the lines are. Not thread-safe: one scan at a time.
 */
public final class K8sLogScanner {
    public static final int BLOCK = 64 * 1024;

    /** Why a scan returned. */
    public enum Outcome {
        /** Every complete record before the limit has been handed over. */
        END,
        /** The sink asked to stop; the next scan goes on from there. */
        STOPPED
    }

    private final FileChannel channel;
    private final byte[] block;
    private final ByteBuffer view;
    private final K8sLogFormat.Header header = new K8sLogFormat.Header();
    private final K8sLogFormat.Header longHeader = new K8sLogFormat.Header();
    /** File offset of block[0]. */
    private long blockStart;
    /** First byte of the block not handed over yet. */
    private int start;
    /** Bytes of the block that hold file data. */
    private int limit;
    /** A record longer than the block is being handed over in pieces. */
    private boolean inLongRecord;
    /** ... and it is not a record, so its pieces are dropped. */
    private boolean skippingLongLine;

    public K8sLogScanner(FileChannel channel, long offset) {
        this(channel, offset, BLOCK);
    }

    /** A smaller block lets tests cross block boundaries with small files. */
    K8sLogScanner(FileChannel channel, long offset, int blockSize) {
        this.channel = channel;
        this.block = new byte[blockSize];
        this.view = ByteBuffer.wrap(block);
        this.blockStart = offset;
    }

    /** The file offset up to which records have been handed over. */
    public long position() {
        return blockStart + start;
    }

    /**
     * Hands over the records that end before {@code limitOffset} (exclusive; Long.MAX_VALUE for
     * whatever the file holds now), until the sink asks to stop.
     */
    public Outcome scan(long limitOffset, RecordSink sink) throws IOException {
        while (true) {
            int newline;
            while ((newline = K8sLogFormat.indexOf(block, start, limit, (byte) '\n')) >= 0) {
                int lineStart = start;
                start = newline + 1;
                if (!deliverLine(lineStart, newline, sink)) {
                    return Outcome.STOPPED;
                }
            }
            if (start == 0 && limit == block.length) {
                // One record fills the block: hand over what there is and keep reading it.
                start = limit;
                if (!deliverLongPiece(sink)) {
                    compact();
                    return Outcome.STOPPED;
                }
            }
            compact();
            long readAt = blockStart + limit;
            if (readAt >= limitOffset) {
                return Outcome.END;
            }
            view.limit((int) Math.min(block.length, limit + (limitOffset - readAt)));
            view.position(limit);
            int read = channel.read(view, readAt);
            if (read <= 0) {
                return Outcome.END;
            }
            limit += read;
        }
    }

    private void compact() {
        if (start > 0) {
            System.arraycopy(block, start, block, 0, limit - start);
            blockStart += start;
            limit -= start;
            start = 0;
        }
    }

    /** The record in block[from, newline]. */
    private boolean deliverLine(int from, int newline, RecordSink sink) {
        if (inLongRecord) {
            inLongRecord = false;
            if (skippingLongLine) {
                skippingLongLine = false;
                return true;
            }
            return deliver(longHeader, false, from, newline, sink);
        }
        if (!K8sLogFormat.parseHeader(block, from, newline, header)) {
            return true;
        }
        return deliver(header, true, header.dataOffset, newline, sink);
    }

    private boolean deliver(K8sLogFormat.Header h, boolean first, int dataStart, int newline, RecordSink sink) {
        // An F record keeps its newline: it is the line's own.
        int length = newline - dataStart + (h.partial ? 0 : 1);
        return sink.accept(h, first, true, block, dataStart, length);
    }

    /** The whole block, which holds the beginning or the middle of one long record. */
    private boolean deliverLongPiece(RecordSink sink) {
        if (!inLongRecord) {
            inLongRecord = true;
            if (!K8sLogFormat.parseHeader(block, 0, block.length, longHeader)) {
                skippingLongLine = true;
                return true;
            }
            return sink.accept(longHeader, true, false, block, longHeader.dataOffset, block.length - longHeader.dataOffset);
        }
        if (skippingLongLine) {
            return true;
        }
        return sink.accept(longHeader, false, false, block, 0, block.length);
    }
}
