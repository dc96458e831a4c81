package dev.berth.bus.stream;

import dev.berth.bus.EngineException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * java.io views of a {@link JobStream}, for code that runs on a blocking thread (untar, tar,
 * socket pumps). Never use them on the stream's own context: they wait for it.
 */
public final class BlockingStreams {
    /** Largest chunk an output stream puts in one message. */
    public static final int CHUNK = 64 * 1024;

    private BlockingStreams() {
    }

    /** Writes block while the stream's window is full; close() ends the stream. */
    public static OutputStream output(JobStream stream) {
        return new StreamOutput(stream);
    }

    /** Reads what the peer writes; end of stream at its end; an IOException on failure or cancel. */
    public static InputStream input(JobStream stream) {
        return new StreamInput(stream);
    }

    private static final class StreamOutput extends OutputStream {
        private final JobStream stream;
        private final Object drained = new Object();
        private boolean closed;

        StreamOutput(JobStream stream) {
            this.stream = stream;
            stream.drainHandler(v -> {
                synchronized (drained) {
                    drained.notifyAll();
                }
            });
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            while (length > 0) {
                int n = Math.min(length, CHUNK);
                awaitRoom();
                stream.write(Buffer.buffer().appendBytes(bytes, offset, n));
                offset += n;
                length -= n;
            }
        }

        /** Blocks until the peer has room; checks again every second in case a drain was missed. */
        private void awaitRoom() throws IOException {
            synchronized (drained) {
                while (stream.writeQueueFull() && !stream.isCancelled()) {
                    try {
                        drained.wait(1000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while streaming");
                    }
                }
            }
            if (stream.isCancelled()) {
                throw new IOException("the stream was cancelled by its reader");
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                stream.end();
            }
        }
    }

    private static final class StreamInput extends ChunkedInput {
        private static final int HIGH_WATER = StreamSettings.DEFAULTS.window();
        private static final int LOW_WATER = HIGH_WATER / 4;
        private static final Object EOF = new Object();

        private final JobStream stream;
        private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private Buffer current;
        private int position;
        private boolean finished;
        /**
         * Whether this side paused the stream because the queue filled. Pauses and resumes are
         * decided on the stream's context only, so they cannot cross; the reader only asks the
         * context to look after a take, and the context looks again right after pausing, since
         * the reader may have emptied the queue between the size check and the pause, and would
         * then wait in take() on a paused stream for ever (the one way found for a CI run's
         * docker load that hung with its reader in take()).
         */
        private final AtomicBoolean paused = new AtomicBoolean();

        StreamInput(JobStream stream) {
            this.stream = stream;
            stream.handler(chunk -> {
                queue.add(chunk);
                if (queue.size() >= HIGH_WATER && paused.compareAndSet(false, true)) {
                    stream.pause();
                    resumeIfDrained();
                }
            });
            stream.endHandler(v -> queue.add(EOF));
            stream.exceptionHandler(queue::add);
            stream.cancelHandler(v -> queue.add(new IOException("the stream was cancelled by its writer")));
        }

        /** On the stream's context. */
        private void resumeIfDrained() {
            if (queue.size() <= LOW_WATER && paused.compareAndSet(true, false)) {
                stream.resume();
            }
        }

        @Override
        protected int remaining() {
            return current == null ? 0 : current.length() - position;
        }

        @Override
        protected boolean nextChunk() throws IOException {
            if (finished) {
                return false;
            }
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading a stream");
            }
            if (paused.get() && queue.size() <= LOW_WATER) {
                stream.context().runOnContext(v -> resumeIfDrained());
            }
            if (next == EOF) {
                finished = true;
                return false;
            }
            if (next instanceof EngineException) {
                finished = true;
                throw new IOException(((EngineException) next).getMessage(), (EngineException) next);
            }
            if (next instanceof IOException) {
                finished = true;
                throw (IOException) next;
            }
            current = (Buffer) next;
            position = 0;
            return true;
        }

        @Override
        protected void take(byte[] into, int offset, int n) {
            current.getBytes(position, position + n, into, offset);
            position += n;
        }
    }
}
