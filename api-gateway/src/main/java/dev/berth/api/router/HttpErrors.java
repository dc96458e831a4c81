package dev.berth.api.router;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where a failure becomes an HTTP status and a Docker error body. */
public final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {
    }

    public static void reply(HttpServerResponse response, Throwable failure) {
        EngineException error = EngineException.from(failure);
        if (error.kind() == ErrorKind.INTERNAL) {
            LOG.warn("internal error: {}", error.getMessage(), error.getCause() != null ? error.getCause() : error);
        }
        if (response.ended() || response.closed()) {
            // Answered already (a second failure of the same call) or the client is gone.
            return;
        }
        if (response.headWritten()) {
            // Too late for a status: the client sees the stream end early.
            response.reset();
            return;
        }
        if (error.kind() == ErrorKind.NOT_MODIFIED) {
            response.setStatusCode(304).end();
            return;
        }
        // The CLI parses the body only when the content type is exactly application/json.
        response.setStatusCode(error.kind().httpStatus())
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("message", error.getMessage()).encode() + "\n");
    }

    /**
     * A request the HTTP decoder could not read (a bad Content-Length, a request line or head
     * too long, a line that is no request): Docker's JSON error with the status Vert.x would
     * give, instead of an empty body or a silently closed connection. No route saw it, and the
     * connection cannot be trusted after it, so it is closed.
     */
    public static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        String reason = cause == null || cause.getMessage() == null ? "malformed HTTP request" : cause.getMessage();
        int status = 400;
        if (cause instanceof TooLongFrameException) {
            status = reason.startsWith("An HTTP line is larger than") ? 414 : 431;
        }
        request.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close")
                .end(new JsonObject().put("message", "bad request: " + reason).encode() + "\n")
                .onComplete(v -> request.connection().close());
    }
}
