package dev.berth.api.container;

import dev.berth.api.model.PathStatJson;
import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.HttpErrors;
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
            drainThenFail(http, e);
            return;
        }
        archives.put(args).onComplete(ar -> {
            if (ar.failed()) {
                drainThenFail(http, ar.cause());
            } else {
                new PutExchange(http, ar.result()).start();
            }
        });
    }

    private static void drainThenFail(HttpServerRequest http, Throwable failure) {
        http.handler(buffer -> {
        });
        http.endHandler(v -> HttpErrors.reply(http.response(), failure));
        http.resume();
    }

    private static final class PutExchange {
        private final HttpServerRequest http;
        private final HttpServerResponse response;
        private final JobStream stream;
        private boolean bodyEnded;
        private boolean workerDone;
        private Throwable failure;

        PutExchange(HttpServerRequest http, JobStream stream) {
            this.http = http;
            this.response = http.response();
            this.stream = stream;
        }

        void start() {
            stream.handler(chunk -> {
            });
            stream.endHandler(v -> finished(null));
            stream.exceptionHandler(this::finished);
            response.closeHandler(v -> {
                if (!workerDone) {
                    workerDone = true;
                    stream.cancel();
                }
            });
            http.exceptionHandler(e -> {
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
            }
            if (bodyEnded) {
                answer();
            }
        }

        private void answer() {
            if (response.ended()) {
                return;
            }
            if (failure != null) {
                HttpErrors.reply(response, failure);
            } else {
                response.setStatusCode(200).end();
            }
        }
    }
}
