package dev.berth.graph.io;

import dev.berth.bus.stream.ChunkedInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads another stream on a thread of its own, a few chunks ahead of the reader: a pipe between
 * two stages of work, so that what the source does as it is read (inflating, hashing, copying a
 * layer to the store) runs beside what the reader does with the bytes (writing a layer's files),
 * as dockerd pipes a pull through unpigz. The source's failure is the reader's, at the point it
 * reached; the reader's end (the source's end, or close) is the thread's.
 */
public final class ReadAheadInput extends ChunkedInput {
    private static final int CHUNK = 256 << 10;
    private static final int CHUNKS_AHEAD = 8;
    private static final byte[] END = new byte[0];

    private final InputStream source;
    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
    private final Thread reader;
    private volatile boolean closed;
    private volatile Throwable failure;
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;

    public ReadAheadInput(InputStream source, String threadName) {
        this.source = source;
        this.reader = new Thread(this::fill, threadName);
        reader.setDaemon(true);
        reader.start();
    }

    private void fill() {
        try {
            boolean end = false;
            while (!closed && !end) {
                byte[] chunk = new byte[CHUNK];
                int n = 0;
                try {
                    while (n < CHUNK && !end) {
                        int r = source.read(chunk, n, CHUNK - n);
                        end = r < 0;
                        n += Math.max(r, 0);
                    }
                } catch (Throwable e) {
                    failure = e;
                    end = true;
                }
                if (n > 0) {
                    chunks.put(n == CHUNK ? chunk : java.util.Arrays.copyOf(chunk, n));
                }
            }
            chunks.put(END);
        } catch (InterruptedException e) {
            // closed while the reader was not taking
        }
    }

    @Override
    protected int remaining() {
        return current.length - position;
    }

    @Override
    protected boolean nextChunk() throws IOException {
        if (ended) {
            return false;
        }
        try {
            current = chunks.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading ahead");
        }
        position = 0;
        if (current == END) {
            ended = true;
            Failures.rethrow(failure);
            return false;
        }
        return true;
    }

    @Override
    protected void take(byte[] into, int offset, int n) {
        System.arraycopy(current, position, into, offset, n);
        position += n;
    }

    /**
     * Stops the thread: at once when it waits for the reader, else at its next read, which the
     * source's closing makes fail (quietly: nobody reads on) when it was blocked there.
     */
    @Override
    public void close() throws IOException {
        closed = true;
        reader.interrupt();
        source.close();
    }
}
