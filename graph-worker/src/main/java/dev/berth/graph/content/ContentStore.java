package dev.berth.graph.content;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * Immutable blobs addressed by their sha256 digest: image configs and the uncompressed tar of
 * every layer (kept so that {@code docker save} can hand out byte-identical layers whose digests
 * match the image's diff ids).
 *
 * <p><b>Ingestion.</b> A blob is never written in place. A {@link Writer} streams bytes into a
 * private file under the ingest area while hashing them. {@link Writer#commit} then checks the
 * digest against the one the caller expects, fsyncs the file and atomically renames it to its
 * digest's name. A blob therefore exists under its name only when it is complete, durable and
 * verified; a crash leaves at worst an orphan ingest file, removed at the next start. Committing
 * a blob that already exists is not an error: content addressing makes the two identical.
 *
 * <p><b>Reading.</b> Readers open blobs by digest. Blobs read whole ({@link #readVerified}) are
 * hashed again on every read, so a file changed behind the store's back is refused rather than
 * trusted.
 *
 * <p><b>Deletion</b> is the caller's decision (the garbage collector knows what is still
 * referenced); the store only forgets what it is told to.
 *
 * <p>All methods block on disk I/O: call them from worker threads, never from an event loop.
 * Implementations are safe for concurrent use.
 */
public interface ContentStore {
    /** Starts a new blob; close the writer without committing to discard it. */
    Writer writer() throws IOException;

    boolean exists(Digest digest);

    /** Size in bytes; NOT_FOUND when absent. */
    long size(Digest digest) throws IOException;

    /** Opens a blob for streaming; NOT_FOUND when absent. The caller verifies what it needs to. */
    InputStream open(Digest digest) throws IOException;

    /** Reads a small blob whole and checks its digest; INTERNAL when the bytes do not match. */
    byte[] readVerified(Digest digest, int maxBytes) throws IOException;

    /** Removes a blob; absent is not an error. */
    void delete(Digest digest) throws IOException;

    /** Every committed blob. */
    Set<Digest> list() throws IOException;

    /** Where a committed blob lives (for renames within the same file system). */
    Path path(Digest digest);

    /** Discards every ingest left by an earlier run. */
    void cleanIngest() throws IOException;

    /** One blob being written. Not thread-safe: one writer per thread. */
    interface Writer extends AutoCloseable {
        /** Where to write the bytes. Closing it does not commit. */
        OutputStream stream();

        /** Bytes written so far. */
        long size();

        /**
         * Flushes, fsyncs and hashes what was written, and makes it readable through
         * {@link #openStaged()} without committing it.
         */
        Digest finish() throws IOException;

        /**
         * Stops writing and hashes what was written, without the fsync of {@link #finish()}: for
         * a blob read back once and then discarded (a downloaded layer, unpacked into the layer
         * store). {@link #commit} still makes it durable first.
         */
        Digest seal() throws IOException;

        /** Reads back a sealed or finished but uncommitted blob. */
        InputStream openStaged() throws IOException;

        /**
         * Reads the blob's file from its first byte while it is still being written, from
         * another thread: what was flushed to the stream can be read; the caller learns how far
         * that is from the writing thread. Valid until the writer is closed.
         */
        InputStream openWritten() throws IOException;

        /**
         * Verifies the digest (null expected: accept whatever was written), then renames the
         * blob into place. Returns the digest of what was written. A mismatch is INVALID_ARGUMENT
         * and discards the blob.
         */
        Digest commit(Digest expected) throws IOException;

        /** Discards an uncommitted blob; a no-op after commit. */
        @Override
        void close() throws IOException;
    }
}
