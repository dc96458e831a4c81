package dev.berth.api.image;

import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.HttpErrors;
import dev.berth.api.stream.RequestBodyPump;
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
    private final HttpServerResponse response;
    private final RequestBodyPump pump;
    private final Buffer reply = Buffer.buffer();

    private ImportExchange(HttpServerRequest http, JobStream stream) {
        this.response = http.response();
        this.pump = new RequestBodyPump(http, stream);
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
                RequestBodyPump.drainThenFail(http, ar.cause());
            } else {
                new ImportExchange(http, ar.result()).run();
            }
        });
    }

    private void run() {
        pump.start(reply::appendBuffer, error -> {
            if (pump.bodyEnded()) {
                answer();
            }
        }, this::answer);
    }

    private void answer() {
        if (response.headWritten()) {
            return;
        }
        if (pump.failure() != null) {
            HttpErrors.reply(response, pump.failure());
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
