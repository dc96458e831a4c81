package dev.berth.api.image;

import dev.berth.api.router.HttpErrors;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.image.TransferProgress;
import dev.berth.bus.stream.JobStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * One pull or push: the worker's {@link TransferProgress} chunks written as Docker's progress
 * JSON, one object and CRLF each, paced by the client. As with dockerd, a failure before the first
 * line is an HTTP error (the CLI prints "Error response from daemon: …"); after it, an
 * errorDetail object ends the stream. A client that goes away cancels the job.
 */
final class TransferExchange {
    private final HttpServerResponse response;
    private final JobStream stream;
    private boolean done;

    TransferExchange(HttpServerResponse response, JobStream stream) {
        this.response = response;
        this.stream = stream;
    }

    void start() {
        stream.end();
        response.closeHandler(v -> {
            if (!done) {
                done = true;
                stream.cancel();
            }
        });
        stream.handler(this::progress);
        stream.exceptionHandler(this::failed);
        stream.endHandler(v -> {
            if (!done) {
                done = true;
                head();
                response.end();
            }
        });
    }

    private void head() {
        if (!response.headWritten()) {
            response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/json");
        }
    }

    private void progress(Buffer chunk) {
        if (done) {
            return;
        }
        TransferProgress message;
        try {
            message = JobCodec.decode(chunk, TransferProgress.class);
        } catch (EngineException e) {
            failed(EngineException.internal("a progress message does not decode: " + e.getMessage(), e));
            return;
        }
        head();
        response.write(ProgressJson.of(message).toBuffer().appendString("\r\n"));
        if (response.writeQueueFull()) {
            stream.pause();
            response.drainHandler(v -> stream.resume());
        }
    }

    private void failed(Throwable error) {
        if (done) {
            return;
        }
        done = true;
        stream.cancel();
        if (response.headWritten()) {
            String message = error.getMessage() != null ? error.getMessage() : error.toString();
            response.end(ProgressJson.error(message).toBuffer().appendString("\r\n"));
        } else {
            HttpErrors.reply(response, error);
        }
    }
}
