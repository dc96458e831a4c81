package dev.berth.bus.stream;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * An input stream that hands out a current chunk of bytes and asks for the next one only when
 * that is used up: the reading side of a hand-off between threads (a queue of chunks, a file that
 * grows) or of a producer that works a block at a time. Subclasses say how a chunk is had, held
 * and copied; the stream's contract (a zero-length read, the single-byte read, the end) is here
 * once.
 */
public abstract class ChunkedInput extends InputStream {
    /** Bytes of the current chunk not read yet; 0 when there is none. */
    protected abstract int remaining();

    /**
     * Waits for and makes current the next chunk; false at the end of the stream. May make an
     * empty chunk current (it is asked again).
     */
    protected abstract boolean nextChunk() throws IOException;

    /** Copies n bytes (at most {@link #remaining()}) of the current chunk and moves past them. */
    protected abstract void take(byte[] into, int offset, int n) throws IOException;

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        while (remaining() == 0) {
            if (!nextChunk()) {
                return -1;
            }
        }
        int n = Math.min(length, remaining());
        take(buffer, offset, n);
        return n;
    }
}
