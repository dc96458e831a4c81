package dev.berth.graph.registry;

import dev.berth.bus.stream.ChunkedInput;
import dev.berth.graph.content.ContentStore;
import dev.berth.graph.io.Failures;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * A layer's blob as it downloads into the content store's ingest area, readable while it grows,
 * so that a pull unpacks a layer as it arrives (as dockerd pipes the body into unpigz) rather than
 * after the last byte.
 *
 * <p>The download's thread says how far the file holds flushed bytes ({@link #grew}), then either
 * that the whole blob matched its digest and size ({@link #verified}) or that it failed
 * ({@link #failed}). A reader waits for bytes that are not there yet; it reports its end only
 * once the blob verified, and fails with the download's failure otherwise: whatever was unpacked
 * from a blob that turns out wrong is thrown away by the reader's failure, before anything is
 * recorded. A download resumed with Range appends to the same file, so a reader just waits
 * across it. Nothing is held in memory: the bytes between the download and the unpacking are in
 * the ingest file.
 */
final class ArrivingBlob {
    private ContentStore.Writer writer;
    private long flushed;
    private boolean verified;
    private Throwable failure;

    /** The ingest file exists: readers may open it. */
    synchronized void started(ContentStore.Writer writer) {
        this.writer = writer;
        notifyAll();
    }

    /** The file holds this many bytes, flushed. */
    synchronized void grew(long size) {
        flushed = size;
        notifyAll();
    }

    /** The blob is whole and matched its digest and size. */
    synchronized void verified() {
        verified = true;
        notifyAll();
    }

    /** The download stopped short of a verified blob; readers fail with this. */
    synchronized void failed(Throwable failure) {
        this.failure = failure;
        notifyAll();
    }

    synchronized boolean isVerified() {
        return verified;
    }

    /** Waits until the download verified or failed; rethrows the failure. */
    synchronized void awaitEnd() throws IOException {
        while (!verified && failure == null) {
            await();
        }
        rethrowFailure();
    }

    /** The blob from its first byte, as it arrives. Close it to stop reading. */
    InputStream open() throws IOException {
        ContentStore.Writer file;
        synchronized (this) {
            while (writer == null && failure == null) {
                await();
            }
            rethrowFailure();
            file = writer;
        }
        return new Reader(file.openWritten());
    }

    /** How far a reader at position may read: beyond position, or position itself at the verified end. */
    private synchronized long readable(long position, Reader reader) throws IOException {
        while (flushed <= position && !verified && failure == null && !reader.closed) {
            await();
        }
        rethrowFailure();
        if (reader.closed) {
            throw new IOException("the blob's reader was closed");
        }
        return flushed;
    }

    private void await() throws InterruptedIOException {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a download");
        }
    }

    private void rethrowFailure() throws IOException {
        Failures.rethrow(failure);
    }

    /** Its current chunk is what the file holds beyond the position and the download has flushed. */
    private final class Reader extends ChunkedInput {
        private final InputStream file;
        private long position;
        private long limit;
        private volatile boolean closed;

        Reader(InputStream file) {
            this.file = file;
        }

        @Override
        protected int remaining() {
            return (int) Math.min(Integer.MAX_VALUE, limit - position);
        }

        @Override
        protected boolean nextChunk() throws IOException {
            limit = readable(position, this);
            return limit > position;
        }

        @Override
        protected void take(byte[] into, int offset, int n) throws IOException {
            int got = file.readNBytes(into, offset, n);
            if (got < n) {
                throw new IOException("the ingest file ends at " + (position + got) + " bytes, short of the " + limit
                        + " written");
            }
            position += n;
        }

        /** Wakes a read that waits for the download (another thread may be in one: a read-ahead). */
        @Override
        public void close() throws IOException {
            closed = true;
            synchronized (ArrivingBlob.this) {
                ArrivingBlob.this.notifyAll();
            }
            file.close();
        }
    }
}
