package dev.berth.api.image;

import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.HttpErrors;
import dev.berth.api.stream.RequestBodyPump;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.image.ImageJobs;
import dev.berth.bus.contract.image.ListImages;
import dev.berth.bus.contract.image.BuildImage;
import dev.berth.bus.contract.image.BuildProgress;
import dev.berth.bus.contract.image.LoadImage;
import dev.berth.bus.contract.image.LoadProgress;
import dev.berth.bus.contract.image.PullImage;
import dev.berth.bus.contract.image.PushImage;
import dev.berth.bus.contract.image.SearchImages;
import dev.berth.bus.contract.image.SearchResults;
import dev.berth.bus.contract.image.RemoveImage;
import dev.berth.bus.contract.image.SaveImages;
import dev.berth.bus.contract.image.TagImage;
import dev.berth.bus.stream.JobStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Image routes: pull, load, list, inspect, tag, remove, save. Fixed paths come before {name:.*} ones. */
public final class ImageRoutes implements RouteGroup {
    private final ImageJobs images;
    /** Builds started with a buildid, for POST /build/cancel; touched on this verticle's event loop only. */
    private final Map<String, LoadExchange> runningBuilds = new HashMap<>();

    public ImageRoutes(JobBus bus) {
        this.images = ImageJobs.over(bus);
    }

    @Override
    public void register(ApiRouter router) {
        router.get("/images/json", this::list);
        router.get("/images/get", r -> save(r, r.queryAll("names")));
        router.get("/images/search", this::search);
        router.post("/auth", this::login);
        router.post("/images/load", this::load);
        router.post("/build", this::build);
        router.post("/build/cancel", this::cancelBuild);
        router.post("/images/create", this::create);
        router.get("/images/{name:.*}/get", r -> save(r, List.of(name(r))));
        router.get("/images/{name:.*}/history", this::history);
        router.post("/images/{name:.*}/push", this::push);
        router.get("/images/{name:.*}/json", this::inspect);
        router.post("/images/{name:.*}/tag", this::tag);
        router.delete("/images/{name:.*}", this::remove);
    }

    /**
     * The {name} path value. The router has percent-decoded it already (names may hold '/' and
     * ':'); decoding it again turned a literal '%' into an escape, and "a%zz" into a 500.
     */
    private static String name(ApiRequest request) {
        return request.path("name");
    }

    private void list(ApiRequest request) {
        ListImages args = new ListImages(request.bool("all", false), request.filters());
        request.handled(images.list(args)).onSuccess(list -> request.json(200,
                dockerJson(list.images().stream().map(view -> ImageJson.summary(view, request.version())).toList())));
    }

    /** Docker's shapes are records; their JSON comes from the one codec, nulls left out unless a record keeps them. */
    private static Object dockerJson(Object shape) {
        Buffer encoded = JobCodec.encodeToBuffer(shape);
        return shape instanceof List ? new JsonArray(encoded) : new JsonObject(encoded);
    }

    private void inspect(ApiRequest request) {
        request.handled(images.inspect(name(request)))
                .onSuccess(view -> request.json(200, dockerJson(ImageJson.inspect(view, request.version()))));
    }

    private void history(ApiRequest request) {
        request.handled(images.inspect(name(request)))
                .onSuccess(view -> request.json(200, dockerJson(ImageJson.history(view))));
    }

    private void tag(ApiRequest request) {
        request.handled(images.tag(new TagImage(name(request), request.query("repo"), request.query("tag"))))
                .onSuccess(v -> request.response().setStatusCode(201).end());
    }

    private void remove(ApiRequest request) {
        RemoveImage args = new RemoveImage(name(request), request.bool("force", false), request.bool("noprune", false));
        request.handled(images.remove(args)).onSuccess(removed -> request.json(200, dockerJson(ImageJson.removed(removed))));
    }

    /**
     * {@code docker pull} (fromImage, tag: a tag, a digest, or empty for every tag; platform).
     * Importing (fromSrc) is not served yet.
     */
    private void create(ApiRequest request) {
        if (request.query("fromSrc") != null) {
            ImportExchange.start(request, images);
            return;
        }
        String image = request.query("fromImage");
        if (image == null || image.isEmpty()) {
            request.fail(EngineException.invalid("fromImage or fromSrc is required"));
            return;
        }
        PullImage args = new PullImage(image, request.query("tag"), request.query("platform"),
                RegistryAuthHeader.decode(request.http().getHeader(RegistryAuthHeader.NAME)));
        request.handled(images.pull(args)).onSuccess(stream -> new TransferExchange(request.response(), stream).start());
    }

    /** {@code docker push}: the tag in ?tag= (every tag of the repository when empty). */
    private void push(ApiRequest request) {
        PushImage args = new PushImage(name(request), request.query("tag"),
                RegistryAuthHeader.decode(request.http().getHeader(RegistryAuthHeader.NAME)));
        request.handled(images.push(args)).onSuccess(stream -> new TransferExchange(request.response(), stream).start());
    }

    /** {@code docker search}: [{"name","description","star_count","is_official","is_automated"}]. */
    private void search(ApiRequest request) {
        Integer limit = request.intQuery("limit");
        SearchImages args = new SearchImages(request.query("term"), limit == null ? 0 : limit, request.filters(),
                RegistryAuthHeader.decode(request.http().getHeader(RegistryAuthHeader.NAME)));
        request.handled(images.search(args)).onSuccess(found -> {
            JsonArray results = new JsonArray();
            for (SearchResults.Result result : found.results()) {
                results.add(new JsonObject().put("star_count", result.starCount()).put("is_official", result.official())
                        .put("name", result.name()).put("is_automated", result.automated())
                        .put("description", result.description()));
            }
            request.json(200, results);
        });
    }

    /**
     * {@code docker login}: the body's credentials are checked against the registry and then
     * forgotten; the CLI keeps them in its own config.
     */
    private void login(ApiRequest request) {
        request.handled(request.jsonBody().map(body -> {
            try {
                return RegistryAuthHeader.fromJson(body);
            } catch (ClassCastException | IllegalArgumentException e) {
                throw EngineException.invalid("invalid credentials: " + e.getMessage());
            }
        }).compose(images::login)).onSuccess(result -> request.json(200, new JsonObject()
                .put("Status", result.status()).put("IdentityToken", result.identityToken())));
    }

    // ---- save: a tar streamed from the worker, paced by the client ------------------------

    private void save(ApiRequest request, List<String> names) {
        request.handled(images.save(new SaveImages(names)))
                .onSuccess(stream -> new SaveExchange(request.response(), stream).start());
    }

    private static final class SaveExchange {
        private final HttpServerResponse response;
        private final JobStream stream;
        private boolean done;

        SaveExchange(HttpServerResponse response, JobStream stream) {
            this.response = response;
            this.stream = stream;
        }

        void start() {
            stream.end();
            response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/x-tar");
            response.closeHandler(v -> {
                if (!done) {
                    done = true;
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
                done = true;
                HttpErrors.reply(response, failure);
            });
            stream.endHandler(v -> {
                done = true;
                response.end();
            });
        }
    }

    // ---- load: the request body into the worker, progress back as JSON lines --------------

    private void load(ApiRequest request) {
        HttpServerRequest http = request.http();
        http.pause();
        boolean quiet = request.bool("quiet", false);
        images.load(new LoadImage(quiet)).onComplete(ar -> {
            if (ar.failed()) {
                RequestBodyPump.drainThenFail(http, ar.cause());
            } else {
                new LoadExchange(http, ar.result(), LoadExchange::loadLine).start();
            }
        });
    }

    // ---- build: the context tar into the worker, the classic builder's JSON lines back -----

    private void build(ApiRequest request) {
        HttpServerRequest http = request.http();
        http.pause();
        BuildImage args;
        String buildId = request.query("buildid");
        try {
            args = BuildQuery.parse(request::query, request.queryAll("t"), request.http().params().names(),
                    RegistryAuthHeader.decodeConfig(http.getHeader("X-Registry-Config")));
            if (buildId != null && runningBuilds.containsKey(buildId)) {
                throw EngineException.conflict("a build with id " + buildId + " is running already");
            }
        } catch (EngineException e) {
            RequestBodyPump.drainThenFail(http, e);
            return;
        }
        images.build(args).onComplete(ar -> {
            if (ar.failed()) {
                RequestBodyPump.drainThenFail(http, ar.cause());
                return;
            }
            LoadExchange exchange = new LoadExchange(http, ar.result(), LoadExchange::buildLine);
            if (buildId != null && !buildId.isEmpty()) {
                // the pump owns the response's close handler: builds whose client left are dropped here
                runningBuilds.values().removeIf(LoadExchange::gone);
                runningBuilds.put(buildId, exchange);
                http.response().endHandler(v -> runningBuilds.remove(buildId, exchange));
            }
            exchange.start();
        });
    }

    /**
     * POST /build/cancel?id=: stops the build started with that buildid, as a client leaving
     * would (the RUN's container killed and removed), and ends its output with the reason. As
     * dockerd, an id no running build has is no error (the build may have just ended).
     */
    private void cancelBuild(ApiRequest request) {
        String id = request.query("id");
        if (id == null || id.isEmpty()) {
            request.fail(EngineException.invalid("build ID not provided"));
            return;
        }
        LoadExchange exchange = runningBuilds.remove(id);
        if (exchange != null) {
            exchange.cancel();
        }
        request.ok();
    }

    /**
     * One load. The body flows into the job stream as fast as the worker takes it. Progress
     * flows back, one message per chunk, each written as a Docker progress object and CRLF. A failure before any progress was sent becomes an
     * HTTP error, answered once the body has been read (a client still sending would otherwise see
     * a broken pipe instead of the message); after that, an errorDetail object ends the stream.
     */
    private static final class LoadExchange {
        private final HttpServerResponse response;
        private final JobStream stream;
        private final RequestBodyPump pump;
        private final java.util.function.Function<Buffer, JsonObject> render;

        LoadExchange(HttpServerRequest http, JobStream stream, java.util.function.Function<Buffer, JsonObject> render) {
            this.response = http.response();
            this.stream = stream;
            this.pump = new RequestBodyPump(http, stream);
            this.render = render;
        }

        static JsonObject loadLine(Buffer chunk) {
            return ProgressJson.of(JobCodec.decode(chunk, LoadProgress.class));
        }

        /** {"stream"}, or the failure as {"errorDetail":{"code","message"},"error"}, the code being what the CLI exits with. */
        static JsonObject buildLine(Buffer chunk) {
            BuildProgress progress = JobCodec.decode(chunk, BuildProgress.class);
            if (progress.error() == null) {
                return new JsonObject().put("stream", progress.stream() == null ? "" : progress.stream());
            }
            JsonObject detail = new JsonObject();
            if (progress.code() != 0) {
                detail.put("code", progress.code());
            }
            return new JsonObject().put("errorDetail", detail.put("message", progress.error())).put("error", progress.error());
        }

        boolean gone() {
            return response.ended() || response.closed();
        }

        /** Stops the job, and ends the output with the reason. */
        void cancel() {
            pump.fail(EngineException.invalid("the build was cancelled"), this::finished);
        }

        void start() {
            pump.start(this::progress, this::finished, () -> {
                if (pump.failure() != null && !response.headWritten()) {
                    HttpErrors.reply(response, pump.failure());
                }
            });
        }

        private void head() {
            if (!response.headWritten()) {
                response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/json");
            }
        }

        private void progress(Buffer chunk) {
            JsonObject line;
            try {
                line = render.apply(chunk);
            } catch (EngineException e) {
                pump.fail(EngineException.internal("a progress message of an image stream does not decode: " + e.getMessage(), e),
                        this::finished);
                return;
            }
            head();
            response.write(line.toBuffer().appendString("\r\n"));
            if (response.writeQueueFull()) {
                stream.pause();
                response.drainHandler(v -> stream.resume());
            }
        }

        private void finished(Throwable error) {
            if (error == null) {
                head();
                response.end();
                return;
            }
            if (response.headWritten()) {
                String message = error.getMessage() != null ? error.getMessage() : error.toString();
                response.end(ProgressJson.error(message).toBuffer().appendString("\r\n"));
            } else if (pump.bodyEnded()) {
                HttpErrors.reply(response, error);
            }
        }
    }
}
