package dev.berth.api.container;

import dev.berth.bus.JsonFields;
import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.api.stream.DockerFraming;
import dev.berth.api.stream.Hijack;
import dev.berth.api.stream.HijackedStream;
import dev.berth.api.stream.JobStreamResponse;
import dev.berth.bus.EngineException;
import dev.berth.bus.Job;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobTypes;
import dev.berth.bus.stream.JobStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** Container routes: create, start, attach, wait, inspect, list, stop, kill, restart, resize, remove. */
public final class ContainerRoutes implements RouteGroup {
    private final JobBus bus;

    public ContainerRoutes(JobBus bus) {
        this.bus = bus;
    }

    @Override
    public void register(ApiRouter router) {
        router.post("/containers/create", this::create);
        router.get("/containers/json", this::list);
        router.get("/containers/{id}/json", this::inspect);
        router.post("/containers/{id}/start", r -> simple(r, JobTypes.CONTAINER_START, new JsonObject(), 204));
        router.post("/containers/{id}/stop", r -> simple(r, JobTypes.CONTAINER_STOP, stopArgs(r), 204));
        router.post("/containers/{id}/restart", this::restart);
        router.post("/containers/{id}/kill", r -> simple(r, JobTypes.CONTAINER_KILL,
                new JsonObject().put("signal", r.query("signal")), 204));
        router.post("/containers/{id}/resize", r -> simple(r, JobTypes.CONTAINER_RESIZE,
                new JsonObject().put("height", r.intQuery("h")).put("width", r.intQuery("w")), 200));
        router.post("/containers/{id}/wait", this::await);
        router.post("/containers/{id}/attach", this::attach);
        router.delete("/containers/{id}", r -> simple(r, JobTypes.CONTAINER_REMOVE,
                new JsonObject().put("force", r.bool("force", false)).put("volumes", r.bool("v", false)), 204));
    }

    private static JsonObject stopArgs(ApiRequest r) {
        return new JsonObject().put("timeout", r.intQuery("t")).put("signal", r.query("signal"));
    }

    /** A job whose success has no body. */
    private void simple(ApiRequest r, String type, JsonObject args, int status) {
        bus.request(Job.of(type, args.put("ref", r.path("id")))).onComplete(ar -> {
            if (ar.succeeded()) {
                r.response().setStatusCode(status).end();
            } else {
                r.fail(ar.cause());
            }
        });
    }

    private void create(ApiRequest r) {
        r.jsonBody().compose(body -> {
            JsonObject config = body.copy();
            Object hostConfig = config.remove("HostConfig");
            Object networking = config.remove("NetworkingConfig");
            if ((hostConfig != null && !(hostConfig instanceof JsonObject))
                    || (networking != null && !(networking instanceof JsonObject))) {
                return io.vertx.core.Future.failedFuture(EngineException.invalid("HostConfig and NetworkingConfig must be objects"));
            }
            // Docker's string slices accept a bare string: "Cmd": "date" means ["date"].
            for (String slice : new String[] {"Cmd", "Entrypoint", "Shell"}) {
                if (config.getValue(slice) instanceof String) {
                    config.put(slice, new JsonArray().add(config.getString(slice)));
                }
            }
            JsonObject args = new JsonObject()
                    .put("name", r.query("name"))
                    .put("config", config)
                    .put("hostConfig", hostConfig == null ? new JsonObject() : hostConfig)
                    .put("networkingConfig", networking == null ? new JsonObject() : networking);
            return bus.request(Job.of(JobTypes.CONTAINER_CREATE, args));
        }).onComplete(ar -> {
            if (ar.succeeded()) {
                r.json(201, new JsonObject().put("Id", ar.result().getString("id"))
                        .put("Warnings", JsonFields.array(ar.result(), "warnings")));
            } else {
                r.fail(ar.cause());
            }
        });
    }

    private void inspect(ApiRequest r) {
        bus.request(Job.of(JobTypes.CONTAINER_INSPECT, new JsonObject().put("ref", r.path("id")))).onComplete(ar -> {
            if (ar.succeeded()) {
                r.json(200, ContainerJson.inspect(ar.result(), r.version()));
            } else {
                r.fail(ar.cause());
            }
        });
    }

    private void list(ApiRequest r) {
        Integer limit = r.intQuery("limit");
        JsonObject args = new JsonObject()
                .put("all", r.bool("all", false))
                .put("limit", limit == null ? 0 : limit)
                .put("filters", r.filters());
        bus.request(Job.of(JobTypes.CONTAINER_LIST, args)).onComplete(ar -> {
            if (ar.succeeded()) {
                Instant now = Instant.now();
                JsonArray items = new JsonArray();
                for (Object view : JsonFields.array(ar.result(), "containers")) {
                    items.add(ContainerJson.summary((JsonObject) view, now));
                }
                r.json(200, items);
            } else {
                r.fail(ar.cause());
            }
        });
    }

    private void restart(ApiRequest r) {
        JsonObject stop = stopArgs(r).put("ref", r.path("id"));
        bus.request(Job.of(JobTypes.CONTAINER_STOP, stop))
                .recover(e -> e instanceof EngineException && ((EngineException) e).kind() == dev.berth.bus.ErrorKind.NOT_MODIFIED
                        ? io.vertx.core.Future.succeededFuture(new JsonObject()) : io.vertx.core.Future.failedFuture(e))
                .compose(v -> bus.request(Job.of(JobTypes.CONTAINER_START, new JsonObject().put("ref", r.path("id")))))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        r.noContent();
                    } else {
                        r.fail(ar.cause());
                    }
                });
    }

    /**
     * The wait answers 200 as soon as the waiter is registered, because the CLI starts the
     * container only after it has the headers; the body follows when the condition holds.
     */
    private void await(ApiRequest r) {
        String condition = r.version().atLeast(1, 30) ? r.query("condition") : null;
        JsonObject args = new JsonObject().put("ref", r.path("id")).put("condition", condition);
        bus.openStream(Job.of(JobTypes.CONTAINER_WAIT, args)).onComplete(ar -> {
            if (ar.failed()) {
                r.fail(ar.cause());
                return;
            }
            JobStream stream = ar.result();
            stream.end();
            r.response().putHeader("Content-Type", "application/json");
            JobStreamResponse.pipe(stream, r.response(), ContainerRoutes::waitBody, ContainerRoutes::waitFailure);
        });
    }

    private static Buffer waitBody(Buffer chunk) {
        JsonObject result = chunk.toJsonObject();
        String error = result.getString("error");
        return new JsonObject().put("StatusCode", result.getInteger("statusCode", 0))
                .put("Error", error == null ? null : new JsonObject().put("Message", error)).toBuffer().appendString("\n");
    }

    private static Buffer waitFailure(Throwable failure) {
        return new JsonObject().put("StatusCode", -1)
                .put("Error", new JsonObject().put("Message", failure.getMessage())).toBuffer().appendString("\n");
    }

    private void attach(ApiRequest r) {
        boolean stdin = r.bool("stdin", false);
        JsonObject args = new JsonObject()
                .put("ref", r.path("id"))
                .put("stdin", stdin)
                .put("stdout", r.bool("stdout", false))
                .put("stderr", r.bool("stderr", false));
        bus.openStream(Job.of(JobTypes.CONTAINER_ATTACH, args)).onComplete(ar -> {
            if (ar.failed()) {
                r.fail(ar.cause());
                return;
            }
            JobStream stream = ar.result();
            boolean tty = stream.header().getBoolean("tty", false);
            String contentType = !tty && r.version().atLeast(1, 42) ? Hijack.MULTIPLEXED_STREAM : Hijack.RAW_STREAM;
            Hijack.take(r.http(), contentType).onComplete(taken -> {
                if (taken.failed()) {
                    stream.cancel();
                    r.fail(taken.cause());
                    return;
                }
                splice(stream, taken.result(), tty, stdin && stream.header().getBoolean("openStdin", false));
            });
        });
    }

    /** Joins the client's connection and the attach job, with flow control in both directions. */
    static void splice(JobStream stream, HijackedStream client, boolean tty, boolean forwardInput) {
        DockerFraming framing = new DockerFraming(tty, false);
        client.drainHandler(v -> stream.resume());
        stream.handler(chunk -> {
            client.write(framing.format(chunk));
            if (client.writeQueueFull()) {
                stream.pause();
            }
        });
        stream.endHandler(v -> client.close());
        stream.exceptionHandler(e -> client.close());
        client.closeHandler(v -> stream.cancel());
        if (forwardInput && client.hasInput()) {
            stream.drainHandler(v -> client.resumeInput());
            client.inputHandler(data -> {
                stream.write(data);
                if (stream.writeQueueFull()) {
                    client.pauseInput();
                }
            });
            client.inputEndHandler(v -> stream.end());
        } else {
            client.inputHandler(data -> { });
            stream.end();
        }
    }
}
