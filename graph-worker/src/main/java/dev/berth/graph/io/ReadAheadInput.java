package dev.berth.graph.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads another stream on a thread of its own, a few chunks ahead of the reader: a pipe between
 * two stages of work, so that what the source does as it is read (inflating, hashing, copying a
 * layer to the store) runs beside what the reader does with the bytes (writing a layer's files),
 * as dockerd pipes a pull through unpigz. The source's failure is the reader's, at the point it
 * reached; the reader's end (the source's end, or close) is the thread's.
 */
public final class ReadAheadInput extends InputStream {
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
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (position == current.length) {
            if (ended) {
                return -1;
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
                rethrowFailure();
            }
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, n);
        position += n;
        return n;
    }

    private void rethrowFailure() throws IOException {
        Throwable thrown = failure;
        if (thrown == null) {
            return;
        }
        if (thrown instanceof IOException io) {
            throw io;
        }
        if (thrown instanceof UncheckedIOException unchecked) {
            throw unchecked.getCause();
        }
        if (thrown instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
        throw new IOException(thrown);
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
