package dev.berth.api.websocket;

import dev.berth.bus.stream.JobStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.util.List;
import java.util.function.Function;

/**
 * Sends a job's output to a WebSocket client, each chunk turned into frames: the job stream is
 * paused while the socket's write queue is full and resumed on drain, so a client that stops
 * reading stops the job's writer (through the stream's credit) rather than filling the heap.
 * The socket closes when the job ends (1011 with the reason when it failed), and the job is
 * cancelled when the client goes away.
 */
final class SocketPump {
    private final JobStream stream;
    private final ServerWebSocket socket;
    private final Function<Buffer, List<WebSocketFrame>> frames;
    private boolean done;

    private SocketPump(JobStream stream, ServerWebSocket socket, Function<Buffer, List<WebSocketFrame>> frames) {
        this.stream = stream;
        this.socket = socket;
        this.frames = frames;
    }

    /** Call on the stream's context with the stream paused; it resumes it. */
    static void pipe(JobStream stream, ServerWebSocket socket, Function<Buffer, List<WebSocketFrame>> frames) {
        new SocketPump(stream, socket, frames).start();
    }

    private void start() {
        socket.closeHandler(v -> clientGone());
        socket.exceptionHandler(e -> clientGone());
        socket.drainHandler(v -> stream.resume());
        stream.handler(this::chunk);
        stream.endHandler(v -> finish((short) 1000, null));
        stream.exceptionHandler(e -> finish((short) 1011, e.getMessage()));
        stream.resume();
    }

    private void chunk(Buffer chunk) {
        if (done) {
            return;
        }
        List<WebSocketFrame> out;
        try {
            out = frames.apply(chunk);
        } catch (RuntimeException e) {
            stream.cancel();
            finish((short) 1011, "cannot render the job's output: " + e.getMessage());
            return;
        }
        for (WebSocketFrame frame : out) {
            socket.writeFrame(frame);
        }
        if (socket.writeQueueFull()) {
            stream.pause();
        }
    }

    private void finish(short status, String reason) {
        if (done) {
            return;
        }
        done = true;
        if (!socket.isClosed()) {
            socket.close(status, reason == null ? null : truncate(reason));
        }
    }

    /** A close reason fits in a control frame: at most 123 bytes. */
    private static String truncate(String reason) {
        byte[] bytes = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return bytes.length <= 123 ? reason : new String(bytes, 0, 120, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void clientGone() {
        if (!done) {
            done = true;
            stream.cancel();
        }
    }
}
