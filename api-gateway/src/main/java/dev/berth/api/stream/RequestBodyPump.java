package dev.berth.api.stream;

import dev.berth.api.router.HttpErrors;
import dev.berth.bus.stream.JobStream;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Consumer;

/**
 * Feeds an upload's body (the tar of docker cp, import, load or build) into a job stream as
 * fast as the worker takes it: the request is paused while the stream's queue is full. The
 * exchange that owns it learns of two ends, in either order: the worker's (done, or failed)
 * and the body's. After the worker is done the rest of the body is read and dropped, so that a
 * client still sending gets the answer instead of a broken pipe; a client that leaves cancels
 * the job.
 */
public final class RequestBodyPump {
    private final HttpServerRequest http;
    private final JobStream stream;
    private boolean bodyEnded;
    private boolean workerDone;
    private Throwable failure;

    public RequestBodyPump(HttpServerRequest http, JobStream stream) {
        this.http = http;
        this.stream = stream;
    }

    /**
     * Answers a request whose job could not start: the body is read and dropped, then the error
     * is the reply.
     */
    public static void drainThenFail(HttpServerRequest http, Throwable failure) {
        http.handler(buffer -> {
        });
        http.endHandler(v -> HttpErrors.reply(http.response(), failure));
        http.resume();
    }

    /**
     * Starts pumping. {@code replies} takes what the worker sends back; {@code workerEnded} is
     * called once, with null when the worker ended and with the failure otherwise;
     * {@code bodyEnd} when the whole body has been read.
     */
    public void start(Handler<Buffer> replies, Consumer<Throwable> workerEnded, Runnable bodyEnd) {
        stream.handler(replies);
        stream.endHandler(v -> workerEnded(null, workerEnded));
        stream.exceptionHandler(error -> workerEnded(error, workerEnded));
        http.response().closeHandler(v -> abandon());
        http.exceptionHandler(e -> abandon());
        http.handler(buffer -> {
            if (workerDone) {
                return;
            }
            stream.write(buffer);
            if (stream.writeQueueFull()) {
                http.pause();
                stream.drainHandler(v -> http.resume());
            }
        });
        http.endHandler(v -> {
            bodyEnded = true;
            if (!workerDone) {
                stream.end();
            } else {
                bodyEnd.run();
            }
        });
        http.resume();
    }

    /** Ends the exchange on the owner's behalf (a reply that does not decode): as a worker failure. */
    public void fail(Throwable error, Consumer<Throwable> workerEnded) {
        workerEnded(error, workerEnded);
    }

    public boolean bodyEnded() {
        return bodyEnded;
    }

    public Throwable failure() {
        return failure;
    }

    private void workerEnded(Throwable error, Consumer<Throwable> workerEnded) {
        if (workerDone) {
            return;
        }
        workerDone = true;
        failure = error;
        if (error != null) {
            stream.cancel();
        }
        // the body may be paused for a drain that will never come now: read the rest and drop it
        http.resume();
        workerEnded.accept(error);
    }

    private void abandon() {
        if (!workerDone) {
            workerDone = true;
            stream.cancel();
        }
    }
}
