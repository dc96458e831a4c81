package dev.berth.api.container;

import dev.berth.api.model.PathStatJson;
import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.HttpErrors;
import dev.berth.api.stream.RequestBodyPump;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobBus;
import dev.berth.bus.contract.archive.ArchiveJobTypes;
import dev.berth.bus.contract.archive.ArchiveJobs;
import dev.berth.bus.contract.archive.ArchivePath;
import dev.berth.bus.contract.archive.ExtractArchive;
import dev.berth.bus.contract.archive.PathStat;
import dev.berth.bus.stream.JobStream;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/** docker cp: HEAD, GET and PUT /containers/{id}/archive. */
public final class ArchiveRoutes implements RouteGroup {
    static final String STAT_HEADER = "X-Docker-Container-Path-Stat";

    private final ArchiveJobs archives;

    public ArchiveRoutes(JobBus bus) {
        this.archives = ArchiveJobs.over(bus);
    }

    @Override
    public void register(ApiRouter router) {
        router.head("/containers/{id}/archive", this::stat);
        router.get("/containers/{id}/archive", this::get);
        router.put("/containers/{id}/archive", this::put);
    }

    private static String path(ApiRequest r) {
        String path = r.query("path");
        if (path == null || path.isEmpty()) {
            throw EngineException.invalid("Path cannot be empty");
        }
        return path;
    }

    private void stat(ApiRequest r) {
        r.handled(archives.stat(new ArchivePath(r.path("id"), path(r)))).onSuccess(stat ->
                r.response().setStatusCode(200).putHeader(STAT_HEADER, PathStatJson.header(stat))
                        .putHeader("Content-Type", "application/json").end());
    }

    /** The tar from the worker, paced by the client. */
    private void get(ApiRequest r) {
        r.handled(archives.get(new ArchivePath(r.path("id"), path(r)))).onSuccess(stream -> {
            HttpServerResponse response = r.response();
            PathStat stat = JobBus.header(ArchiveJobTypes.GET, stream);
            stream.end();
            response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/x-tar")
                    .putHeader(STAT_HEADER, PathStatJson.header(stat));
            boolean[] done = {false};
            response.closeHandler(v -> {
                if (!done[0]) {
                    done[0] = true;
                    stream.cancel();
                }
            });
            stream.handler(chunk -> {
                response.write(chunk);
                if (response.writeQueueFull()) {
                    stream.pause();
                    response.drainHandler(v -> stream.resume());
                }
            });
            stream.exceptionHandler(failure -> {
                done[0] = true;
                HttpErrors.reply(response, failure);
            });
            stream.endHandler(v -> {
                done[0] = true;
                response.end();
            });
        });
    }

    /**
     * The request body into the worker, as fast as it extracts; the answer once the worker says
     * it is done. A refusal before the copy starts is answered once the body has been read, so a
     * client still sending sees the message rather than a broken pipe.
     */
    private void put(ApiRequest r) {
        HttpServerRequest http = r.http();
        http.pause();
        ExtractArchive args;
        try {
            args = new ExtractArchive(r.path("id"), path(r), r.bool("noOverwriteDirNonDir", false),
                    r.bool("copyUIDGID", false));
        } catch (RuntimeException e) {
            RequestBodyPump.drainThenFail(http, e);
            return;
        }
        archives.put(args).onComplete(ar -> {
            if (ar.failed()) {
                RequestBodyPump.drainThenFail(http, ar.cause());
            } else {
                new PutExchange(http, ar.result()).start();
            }
        });
    }

    /** One PUT: the tar flows to the worker; 200 or the error once both the worker and the body are done. */
    private static final class PutExchange {
        private final HttpServerResponse response;
        private final RequestBodyPump pump;

        PutExchange(HttpServerRequest http, JobStream stream) {
            this.response = http.response();
            this.pump = new RequestBodyPump(http, stream);
        }

        void start() {
            pump.start(chunk -> {
            }, error -> {
                if (pump.bodyEnded()) {
                    answer();
                }
            }, this::answer);
        }

        private void answer() {
            if (response.ended()) {
                return;
            }
            if (pump.failure() != null) {
                HttpErrors.reply(response, pump.failure());
            } else {
                response.setStatusCode(200).end();
            }
        }
    }
}
