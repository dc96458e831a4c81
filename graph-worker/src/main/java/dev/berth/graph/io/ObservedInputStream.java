package dev.berth.graph.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A filter that sees every byte read through it, and its end. Skips are read too: a plain
 * FilterInputStream passes skip() straight to its source, so counts, hashes and limits built on
 * read() alone would silently miss what tar readers skip.
 */
public abstract class ObservedInputStream extends FilterInputStream {
    private final byte[] one = new byte[1];
    private byte[] scratch;

    protected ObservedInputStream(InputStream in) {
        super(in);
    }

    /** Called with each run of bytes read (n &gt; 0). */
    protected abstract void observe(byte[] bytes, int offset, int n) throws IOException;

    /** Called when the source reports its end; may be called more than once. */
    protected void atEnd() throws IOException {
    }

    @Override
    public final int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final int read(byte[] bytes, int offset, int length) throws IOException {
        int n = in.read(bytes, offset, length);
        if (n > 0) {
            observe(bytes, offset, n);
        } else if (n < 0) {
            atEnd();
        }
        return n;
    }

    @Override
    public final long skip(long n) throws IOException {
        if (scratch == null) {
            scratch = new byte[8192];
        }
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    /** Reads to the end, so that everything is observed. */
    public final void drain() throws IOException {
        byte[] buffer = new byte[1 << 16];
        while (read(buffer, 0, buffer.length) >= 0) {
            // observing is the point
        }
    }
}
