package dev.berth.bus.stream;

import dev.berth.bus.EngineException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * The two directions of a streaming job, between its caller and the worker that took it.
 *
 * <p>Each direction is a stream of buffers with flow control: a writer may have only a window of
 * unacknowledged chunks in flight, and a reader acknowledges a chunk only once its handler has
 * taken it. A paused reader therefore stops its writer, however far apart the two are, and no
 * side ever buffers without bound. Each direction ends on its own ({@link #end()}, or
 * {@link #fail} to end it with an error the peer's exception handler receives), which is how
 * stdin's end of file travels while output keeps flowing. {@link #cancel()} abandons both
 * directions at once, as when the client of the gateway goes away.
 *
 * <p>A stream breaks, on both sides, when its peer goes silent (it vanished: no frame, not even a
 * ping, for a few seconds), when frames are lost, or when a writer ignores back-pressure (keeps
 * writing while {@link #writeQueueFull()} past a hard cap). Each side then gets the error in its
 * exception handler, unless its incoming direction had already ended, and its cancel handler
 * runs; later writes fail with the error. On the wire a stream is {@link StreamFrame}s.
 *
 * <p>Handlers run on {@link #context()}. Writes and {@link #end()} may come from any thread; a
 * writer on a blocking thread uses {@link BlockingStreams} rather than polling
 * {@link #writeQueueFull()}.
 */
public interface JobStream extends ReadStream<Buffer>, WriteStream<Buffer> {
    /** What the worker answered when it accepted the job; empty on the worker's side. */
    JsonObject header();

    /** The context on which this stream's handlers run. */
    Context context();

    /** Ends the outgoing direction with an error, after any data already written. */
    Future<Void> fail(EngineException error);

    /** Abandons both directions and tells the peer; later writes are dropped. */
    void cancel();

    /** Called when the peer cancels, and when the stream breaks (see above). */
    JobStream cancelHandler(Handler<Void> handler);

    boolean isCancelled();

    @Override
    JobStream exceptionHandler(Handler<Throwable> handler);

    @Override
    JobStream handler(Handler<Buffer> handler);

    @Override
    JobStream pause();

    @Override
    JobStream resume();

    @Override
    JobStream fetch(long amount);

    @Override
    JobStream endHandler(Handler<Void> endHandler);

    @Override
    JobStream setWriteQueueMaxSize(int maxSize);

    @Override
    JobStream drainHandler(Handler<Void> handler);
}
