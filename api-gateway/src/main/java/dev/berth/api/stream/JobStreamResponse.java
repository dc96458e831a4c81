package dev.berth.api.stream;

import dev.berth.bus.stream.JobStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.function.Function;

/**
 * Streams a job's output as a chunked 200 response: the status and headers go out at once
 * (clients wait for them before they go on), each chunk is formatted and written, the job stream
 * is paused while the response's write queue is full and resumed on drain, the response ends
 * with the stream, and the stream is cancelled when the client goes away. Runs on the stream's
 * context, which is the request's.
 */
public final class JobStreamResponse {
    private final JobStream stream;
    private final HttpServerResponse response;
    private final Function<Buffer, Buffer> format;
    private final Function<Throwable, Buffer> failure;
    private boolean done;

    private JobStreamResponse(JobStream stream, HttpServerResponse response, Function<Buffer, Buffer> format,
            Function<Throwable, Buffer> failure) {
        this.stream = stream;
        this.response = response;
        this.format = format;
        this.failure = failure;
    }

    /**
     * Pipes {@code stream} into {@code response}, whose content type the caller has set.
     * {@code failure} renders a failure of the job that comes after the 200 (null: just end).
     */
    public static void pipe(JobStream stream, HttpServerResponse response, Function<Buffer, Buffer> format,
            Function<Throwable, Buffer> failure) {
        new JobStreamResponse(stream, response, format, failure).start();
    }

    private void start() {
        if (response.closed()) {
            // The client left while the job was being accepted.
            stream.cancel();
            return;
        }
        response.setStatusCode(200).setChunked(true);
        response.closeHandler(v -> clientGone());
        response.exceptionHandler(e -> clientGone());
        response.drainHandler(v -> stream.resume());
        stream.handler(this::chunk);
        stream.endHandler(v -> finish(null));
        stream.exceptionHandler(this::finish);
        response.writeHead();
    }

    private void chunk(Buffer chunk) {
        if (done) {
            return;
        }
        Buffer out;
        try {
            out = format.apply(chunk);
        } catch (RuntimeException e) {
            done = true;
            stream.cancel();
            response.reset();
            return;
        }
        if (out.length() > 0) {
            response.write(out);
        }
        if (response.writeQueueFull()) {
            stream.pause();
        }
    }

    private void finish(Throwable cause) {
        if (done) {
            return;
        }
        done = true;
        Buffer trailer = cause != null && failure != null ? failure.apply(cause) : null;
        if (trailer != null && trailer.length() > 0) {
            response.write(trailer);
        }
        response.end();
    }

    private void clientGone() {
        if (!done) {
            done = true;
            stream.cancel();
        }
    }
}
