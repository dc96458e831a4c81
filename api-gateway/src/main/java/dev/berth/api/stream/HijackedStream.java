package dev.berth.api.stream;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * The raw connection of attach and exec after Docker's "hijack": output towards the client, and,
 * when the client upgraded the connection, its input. The client's half-close (the CLI's
 * CloseWrite at stdin's end) ends the input only; a real disconnect runs the close handler.
 */
public interface HijackedStream extends WriteStream<Buffer> {
    /** Whether input can arrive (the client sent Upgrade). */
    boolean hasInput();

    HijackedStream inputHandler(Handler<Buffer> handler);

    /** Runs once the client has no more input (half-close), or at once when there is no input. */
    HijackedStream inputEndHandler(Handler<Void> handler);

    HijackedStream closeHandler(Handler<Void> handler);

    void pauseInput();

    void resumeInput();

    /** Ends the output and the connection. */
    Future<Void> close();
}
