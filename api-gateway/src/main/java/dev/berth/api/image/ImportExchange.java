package dev.berth.api.image;

import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.HttpErrors;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.image.CommittedImage;
import dev.berth.bus.contract.image.ImageJobs;
import dev.berth.bus.contract.image.ImportImage;
import dev.berth.bus.stream.JobStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * docker import (POST /images/create?fromSrc=-): the request body flows into the worker with
 * back-pressure, and the new image's id comes back as dockerd's one progress line
 * {@code {"status":"sha256:…"}}. A failure is answered once the body has been read, so that a
 * client still sending sees the message rather than a broken pipe. Importing from a URL would
 * make the daemon fetch it: Berth refuses that.
 */
final class ImportExchange {
    private final HttpServerRequest http;
    private final HttpServerResponse response;
    private final JobStream stream;
    private final Buffer reply = Buffer.buffer();
    private boolean bodyEnded;
    private boolean workerDone;
    private Throwable failure;

    private ImportExchange(HttpServerRequest http, JobStream stream) {
        this.http = http;
        this.response = http.response();
        this.stream = stream;
    }

    static void start(ApiRequest request, ImageJobs images) {
        HttpServerRequest http = request.http();
        String source = request.query("fromSrc");
        if (!"-".equals(source)) {
            request.fail(new EngineException(dev.berth.bus.ErrorKind.NOT_IMPLEMENTED,
                    "berth does not import from a URL (fromSrc=" + source + "); download it and use 'docker import FILE'"));
            return;
        }
        http.pause();
        ImportImage args = new ImportImage(source, request.queryAll("changes"), request.query("message"),
                request.query("repo"), request.query("tag"));
        images.importImage(args).onComplete(ar -> {
            if (ar.failed()) {
                drainThenFail(http, ar.cause());
            } else {
                new ImportExchange(http, ar.result()).run();
            }
        });
    }

    private static void drainThenFail(HttpServerRequest http, Throwable failure) {
        http.handler(buffer -> {
        });
        http.endHandler(v -> HttpErrors.reply(http.response(), failure));
        http.resume();
    }

    private void run() {
        stream.handler(reply::appendBuffer);
        stream.endHandler(v -> finished(null));
        stream.exceptionHandler(this::finished);
        response.closeHandler(v -> {
            if (!workerDone) {
                workerDone = true;
                stream.cancel();
            }
        });
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
                answer();
            }
        });
        http.resume();
    }

    private void finished(Throwable error) {
        if (workerDone) {
            return;
        }
        workerDone = true;
        failure = error;
        if (error != null) {
            stream.cancel();
            http.resume();
        }
        if (bodyEnded) {
            answer();
        }
    }

    private void answer() {
        if (response.headWritten()) {
            return;
        }
        if (failure != null) {
            HttpErrors.reply(response, failure);
            return;
        }
        CommittedImage image;
        try {
            image = JobCodec.decode(reply, CommittedImage.class);
        } catch (EngineException e) {
            HttpErrors.reply(response, EngineException.internal("the reply of image.import does not decode", e));
            return;
        }
        response.setStatusCode(200).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("status", image.id()).toBuffer().appendString("\r\n"));
    }
}
