package dev.berth.api.router;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** Reads a request body whole, up to a limit; what lies beyond the limit is read and dropped. */
final class JsonBodyReader {
    private JsonBodyReader() {
    }

    static Future<Buffer> read(HttpServerRequest http, long limit) {
        if (http.isEnded()) {
            return Future.failedFuture(EngineException.internal("the request body was already read", null));
        }
        Promise<Buffer> done = Promise.promise();
        String length = http.getHeader("Content-Length");
        boolean declaredTooLarge;
        try {
            declaredTooLarge = length != null && Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return Future.failedFuture(EngineException.invalid("invalid Content-Length: " + length));
        }
        if (declaredTooLarge) {
            done.fail(tooLarge(limit));
        }
        Buffer body = Buffer.buffer();
        http.handler(chunk -> {
            if (done.future().isComplete()) {
                return;
            }
            if ((long) body.length() + chunk.length() > limit) {
                done.fail(tooLarge(limit));
            } else {
                body.appendBuffer(chunk);
            }
        });
        http.exceptionHandler(done::tryFail);
        http.endHandler(v -> done.tryComplete(body));
        http.resume();
        return done.future();
    }

    private static EngineException tooLarge(long limit) {
        return new EngineException(ErrorKind.PAYLOAD_TOO_LARGE, "request body is too large (limit " + limit + " bytes)");
    }
}
