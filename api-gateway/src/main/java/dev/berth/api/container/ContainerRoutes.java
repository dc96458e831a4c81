package dev.berth.api.container;

import dev.berth.api.model.ContainerJson;
import dev.berth.api.model.StatsJson;
import dev.berth.api.router.ApiRequest;
import dev.berth.bus.contract.container.PruneContainers;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.api.stream.DockerFraming;
import dev.berth.api.stream.Hijack;
import dev.berth.api.stream.HijackedStream;
import dev.berth.api.stream.JobStreamResponse;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.container.AttachAccepted;
import dev.berth.bus.contract.container.AttachContainer;
import dev.berth.bus.contract.container.ContainerJobTypes;
import dev.berth.bus.contract.container.ContainerJobs;
import dev.berth.bus.contract.container.ContainerView;
import dev.berth.bus.contract.container.KillContainer;
import dev.berth.bus.contract.container.ListContainers;
import dev.berth.bus.contract.container.RemoveContainer;
import dev.berth.bus.contract.container.RenameContainer;
import dev.berth.bus.contract.container.UnlinkContainer;
import dev.berth.bus.contract.container.StatsRequest;
import dev.berth.bus.contract.container.StatsSample;
import dev.berth.bus.contract.container.TopContainer;
import dev.berth.bus.contract.container.UpdateContainer;
import dev.berth.bus.contract.container.ResizeContainer;
import dev.berth.bus.contract.container.StopContainer;
import dev.berth.bus.contract.container.WaitContainer;
import dev.berth.bus.contract.container.WaitOutcome;
import dev.berth.bus.stream.JobStream;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Container routes: create, start, attach, wait, inspect, list, stop, kill, restart, resize, remove. */
public final class ContainerRoutes implements RouteGroup {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerRoutes.class);

    private final ContainerJobs containers;

    public ContainerRoutes(JobBus bus) {
        this.containers = ContainerJobs.over(bus);
    }

    @Override
    public void register(ApiRouter router) {
        router.post("/containers/create", this::create);
        router.get("/containers/json", this::list);
        router.post("/containers/prune", r -> r.handled(containers.prune(new PruneContainers(r.filters())))
                .onSuccess(pruned -> r.json(200, new JsonObject()
                        .put("ContainersDeleted", pruned.containersDeleted() == null ? null : new JsonArray(pruned.containersDeleted()))
                        .put("SpaceReclaimed", pruned.spaceReclaimed()))));
        router.get("/containers/{id}/json", this::inspect);
        router.post("/containers/{id}/start", r -> noContent(r, containers.start(r.path("id"))));
        router.post("/containers/{id}/stop", r -> noContent(r, containers.stop(stopArgs(r))));
        router.post("/containers/{id}/restart", r -> noContent(r, containers.restart(stopArgs(r))));
        router.post("/containers/{id}/update", this::update);
        router.get("/containers/{id}/stats", this::stats);
        router.post("/containers/{id}/pause", r -> noContent(r, containers.pause(r.path("id"))));
        router.post("/containers/{id}/unpause", r -> noContent(r, containers.unpause(r.path("id"))));
        router.post("/containers/{id}/rename", r -> noContent(r,
                containers.rename(new RenameContainer(r.path("id"), r.query("name")))));
        router.get("/containers/{id}/top", this::top);
        router.post("/containers/{id}/kill", r -> noContent(r, containers.kill(new KillContainer(r.path("id"), r.query("signal")))));
        router.post("/containers/{id}/resize", r -> {
            // dockerd reads both with Atoi, so a missing one is a 400, not a size of 0.
            int height = r.requiredIntQuery("h");
            int width = r.requiredIntQuery("w");
            containers.resize(new ResizeContainer(r.path("id"), height, width))
                    .onComplete(ar -> {
                        if (ar.succeeded()) {
                            r.response().setStatusCode(200).end();
                        } else {
                            r.fail(ar.cause());
                        }
                    });
        });
        router.post("/containers/{id}/wait", this::await);
        router.post("/containers/{id}/attach", this::attach);
        new ExecRoutes(containers).register(router);
        router.delete("/containers/{id}", r -> {
            if (r.bool("link", false)) {
                // dockerd's answer for `docker rm --link name`: a link is named parent/alias.
                throw EngineException.invalid("Conflict, cannot remove the default link name.");
            }
            noContent(r, containers.remove(new RemoveContainer(r.path("id"), r.bool("force", false), r.bool("v", false))));
        });
        // `docker rm --link parent/alias` (the CLI sends link=1; the two segments say it all).
        router.delete("/containers/{id}/{link}", r -> noContent(r,
                containers.unlink(new UnlinkContainer(r.path("id"), r.path("link")))));
    }

    private static StopContainer stopArgs(ApiRequest r) {
        return new StopContainer(r.path("id"), r.intQuery("t"), r.query("signal"));
    }

    /** A job whose success has no body. */
    private static void noContent(ApiRequest r, Future<Void> job) {
        job.onComplete(ar -> {
            if (ar.succeeded()) {
                r.noContent();
            } else {
                r.fail(ar.cause());
            }
        });
    }

    private void create(ApiRequest r) {
        CreateRequest.checkPlatform(r.query("platform"));
        r.jsonBody().compose(body -> containers.create(CreateRequest.parse(r.query("name"), body))).onComplete(ar -> {
            if (ar.succeeded()) {
                r.json(201, new JsonObject().put("Id", ar.result().id()).put("Warnings", new JsonArray(ar.result().warnings())));
            } else {
                r.fail(ar.cause());
            }
        });
    }

    private void inspect(ApiRequest r) {
        containers.inspect(r.path("id")).onComplete(ar -> {
            if (ar.succeeded()) {
                r.json(200, ContainerJson.inspect(ar.result()));
            } else {
                r.fail(ar.cause());
            }
        });
    }

    private void list(ApiRequest r) {
        Integer limit = r.intQuery("limit");
        ListContainers args = new ListContainers(r.bool("all", false), limit == null ? 0 : limit, r.filters());
        containers.list(args).onComplete(ar -> {
            if (ar.succeeded()) {
                Instant now = Instant.now();
                JsonArray items = new JsonArray();
                for (ContainerView view : ar.result().containers()) {
                    items.add(ContainerJson.summary(view, now));
                }
                r.json(200, items);
            } else {
                r.fail(ar.cause());
            }
        });
    }

    /**
     * docker stats: one JSON object a line while streaming; otherwise one, made from the last of
     * the worker's samples and the one before it (so the CPU % is real), as dockerd answers.
     */
    private void stats(ApiRequest r) {
        boolean stream = r.bool("stream", true);
        boolean oneShot = !stream && r.bool("one-shot", false);
        containers.stats(new StatsRequest(r.path("id"), stream, oneShot)).onComplete(ar -> {
            if (ar.failed()) {
                r.fail(ar.cause());
                return;
            }
            JobStream samples = ar.result();
            samples.end();
            StatsSample[] previous = new StatsSample[1];
            int[] left = {stream ? -1 : oneShot ? 1 : 2};
            r.response().putHeader("Content-Type", "application/json");
            JobStreamResponse.pipe(samples, r.response(), chunk -> {
                StatsSample sample = JobCodec.decode(chunk, StatsSample.class);
                StatsSample before = previous[0];
                previous[0] = sample;
                if (left[0] > 0 && --left[0] > 0) {
                    return Buffer.buffer();
                }
                return StatsJson.renderLine(sample, before);
            }, null);
        });
    }

    /** docker update: Resources and RestartPolicy, with HostConfig's field names. */
    private void update(ApiRequest r) {
        r.jsonBody().compose(body -> containers.update(new UpdateContainer(r.path("id"),
                JobCodec.decode(body, dev.berth.bus.contract.container.HostConfig.class)))).onComplete(ar -> {
                    if (ar.succeeded()) {
                        r.json(200, new JsonObject().put("Warnings", new JsonArray()));
                    } else {
                        r.fail(ar.cause());
                    }
                });
    }

    /** Docker's {"Titles": [...], "Processes": [[...]]}. */
    private void top(ApiRequest r) {
        containers.top(new TopContainer(r.path("id"), r.query("ps_args"))).onComplete(ar -> {
            if (ar.succeeded()) {
                JsonArray processes = new JsonArray();
                ar.result().processes().forEach(row -> processes.add(new JsonArray(row)));
                r.json(200, new JsonObject().put("Titles", new JsonArray(ar.result().titles())).put("Processes", processes));
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
        containers.await(new WaitContainer(r.path("id"), condition)).onComplete(ar -> {
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
        WaitOutcome outcome = JobCodec.decode(chunk, WaitOutcome.class);
        return new JsonObject().put("StatusCode", outcome.statusCode())
                .put("Error", outcome.error() == null ? null : new JsonObject().put("Message", outcome.error()))
                .toBuffer().appendString("\n");
    }

    private static Buffer waitFailure(Throwable failure) {
        return new JsonObject().put("StatusCode", -1)
                .put("Error", new JsonObject().put("Message", failure.getMessage())).toBuffer().appendString("\n");
    }

    private void attach(ApiRequest r) {
        boolean stdin = r.bool("stdin", false);
        AttachContainer args = new AttachContainer(r.path("id"), stdin, r.bool("stdout", false), r.bool("stderr", false),
                r.query("detachKeys"));
        containers.attach(args).onComplete(ar -> {
            if (ar.failed()) {
                r.fail(ar.cause());
                return;
            }
            JobStream stream = ar.result();
            AttachAccepted accepted = JobBus.header(ContainerJobTypes.ATTACH, stream);
            boolean tty = accepted.tty();
            String contentType = !tty && r.version().atLeast(1, 42) ? Hijack.MULTIPLEXED_STREAM : Hijack.RAW_STREAM;
            Hijack.take(r.http(), contentType).onComplete(taken -> {
                if (taken.failed()) {
                    stream.cancel();
                    r.fail(taken.cause());
                    return;
                }
                splice(stream, taken.result(), tty, stdin && accepted.openStdin());
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
        stream.exceptionHandler(e -> {
            // The raw stream has no way to tell the client: it sees its output end. Say why here.
            LOG.warn("an attached stream ended early: {}", e.getMessage());
            client.close();
        });
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
