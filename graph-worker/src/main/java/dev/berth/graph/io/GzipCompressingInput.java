package dev.berth.graph.io;

import dev.berth.bus.stream.ChunkedInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Reads the gzip compression of another stream, compressing as it is read: what a push sends, so
 * that a layer is compressed while it uploads instead of being written to disk first.
 *
 * <p>Deflate is what a push spends its time on (a layer of programs and libraries: 4 CPU seconds
 * for 200 MiB at level 1, on one thread), so the stream is cut into blocks of 1 MiB that are
 * deflated side by side on the given executor, as pigz does: each block is primed with the last
 * 32 KiB of the block before as its dictionary and ends on a byte boundary (a sync flush), so the
 * blocks joined in order are one deflate stream, closed by an empty final block.
 *
 * <p>Data that does not compress (random bytes, already compressed files) costs zlib as much time
 * as any other and saves nothing (20 MB/s at level 1 on the project's machines). So each block's
 * first 64 KiB are deflated first on their own; when they shrink by less than 3 %, the block is
 * stored (level 0). Every block's bytes depend only on its own and the previous block's input,
 * never on timing or the number of threads, so the same layer always gives the same blob, and a
 * layer compressed again matches the blob a registry already has.
 */
public final class GzipCompressingInput extends ChunkedInput {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    static final int BLOCK = 1 << 20;
    private static final int DICTIONARY = 32 << 10;
    private static final int SAMPLE = 64 << 10;

    private final InputStream source;
    private final int level;
    private final Executor compressors;
    private final int ahead;
    private final CRC32 crc = new CRC32();
    /** Blocks being compressed, in stream order, with their uncompressed sizes. */
    private final ArrayDeque<CompletableFuture<byte[]>> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Integer> inFlightSizes = new ArrayDeque<>();
    private byte[] previous;
    private byte[] pending = HEADER.clone();
    private int pendingStart;
    private long read;
    private long uncompressed;
    private boolean sourceDone;
    private boolean trailerWritten;

    /**
     * @param compressors runs the blocks' compression
     * @param parallelism how many blocks may be compressed at once (at least 1)
     */
    public GzipCompressingInput(InputStream source, int level, Executor compressors, int parallelism) {
        this.source = source;
        this.level = level;
        this.compressors = compressors;
        this.ahead = Math.max(1, parallelism);
    }

    @Override
    protected int remaining() {
        return pending.length - pendingStart;
    }

    @Override
    protected boolean nextChunk() throws IOException {
        if (trailerWritten) {
            return false;
        }
        produce();
        return true;
    }

    @Override
    protected void take(byte[] into, int offset, int n) {
        System.arraycopy(pending, pendingStart, into, offset, n);
        pendingStart += n;
    }

    /** Keeps the executor busy with the blocks ahead, then takes the next block's output (or the end). */
    private void produce() throws IOException {
        while (!sourceDone && inFlight.size() < ahead) {
            byte[] block = source.readNBytes(BLOCK);
            if (block.length == 0) {
                sourceDone = true;
                break;
            }
            crc.update(block);
            read += block.length;
            byte[] dictionary = previous;
            inFlight.add(CompletableFuture.supplyAsync(() -> deflate(block, dictionary, level, false), compressors));
            inFlightSizes.add(block.length);
            previous = block;
        }
        pendingStart = 0;
        if (!inFlight.isEmpty()) {
            pending = await(inFlight.poll());
            uncompressed += inFlightSizes.poll();
            return;
        }
        byte[] last = deflate(new byte[0], null, level, true);
        pending = Arrays.copyOf(last, last.length + 8);
        long crcValue = crc.getValue();
        for (int i = 0; i < 4; i++) {
            pending[last.length + i] = (byte) (crcValue >>> (8 * i));
            pending[last.length + 4 + i] = (byte) (read >>> (8 * i));
        }
        trailerWritten = true;
    }

    private static byte[] await(CompletableFuture<byte[]> block) throws IOException {
        try {
            return block.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw new IOException("compressing: " + e.getCause(), e.getCause());
        }
    }

    /**
     * One block as raw deflate: stored when its sample does not compress, primed with the end of
     * the previous block, ending with a sync flush (or, when final, the stream's last block).
     */
    static byte[] deflate(byte[] block, byte[] previous, int level, boolean last) {
        int chosen = !last && !compresses(block, level) ? Deflater.NO_COMPRESSION : level;
        Deflater deflater = new Deflater(chosen, true);
        try {
            if (previous != null && chosen != Deflater.NO_COMPRESSION) {
                int length = Math.min(DICTIONARY, previous.length);
                deflater.setDictionary(previous, previous.length - length, length);
            }
            deflater.setInput(block);
            byte[] out = new byte[block.length + (block.length >> 3) + 64];
            int size = 0;
            if (last) {
                deflater.finish();
            }
            while (true) {
                if (size == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                int n = deflater.deflate(out, size, out.length - size, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
                size += n;
                // a flush is complete when it left room unused; the final block when the deflater says so
                if (last ? deflater.finished() : size < out.length && deflater.needsInput()) {
                    return Arrays.copyOf(out, size);
                }
            }
        } finally {
            deflater.end();
        }
    }

    /** Whether the block's first 64 KiB shrink by at least 3 % at the level. */
    private static boolean compresses(byte[] block, int level) {
        int length = Math.min(SAMPLE, block.length);
        Deflater sample = new Deflater(level, true);
        try {
            sample.setInput(block, 0, length);
            sample.finish();
            byte[] out = new byte[length + (length >> 3) + 64];
            int size = 0;
            while (!sample.finished() && size < out.length) {
                size += sample.deflate(out, size, out.length - size);
            }
            return (long) size * 100 <= (long) length * 97;
        } finally {
            sample.end();
        }
    }

    /** Uncompressed bytes whose compression was read so far. */
    public long uncompressedBytes() {
        return uncompressed;
    }

    @Override
    public void close() throws IOException {
        inFlight.forEach(block -> block.cancel(false));
        inFlight.clear();
        source.close();
    }
}
