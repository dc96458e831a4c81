package dev.berth.api.container;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.berth.api.model.ExecJson;
import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.stream.Hijack;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.container.ContainerJobTypes;
import dev.berth.bus.contract.container.ContainerJobs;
import dev.berth.bus.contract.container.CreateExec;
import dev.berth.bus.contract.container.ExecAccepted;
import dev.berth.bus.contract.container.ResizeExec;
import dev.berth.bus.contract.container.StartExec;
import dev.berth.bus.contract.container.StringSlice;
import dev.berth.bus.stream.JobStream;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** `docker exec`: create an exec instance, start it (hijacked like attach), inspect and resize it. */
final class ExecRoutes {
    /** Docker's ExecConfig body of POST /containers/{id}/exec. */
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    record ExecConfigBody(String user, Boolean privileged, Boolean tty, Boolean attachStdin, Boolean attachStdout,
            Boolean attachStderr, String detachKeys, List<String> env, String workingDir,
            @JsonDeserialize(using = StringSlice.class) List<String> cmd, List<Integer> consoleSize) {
    }

    /** Docker's ExecStartCheck body of POST /exec/{id}/start. */
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    record ExecStartBody(Boolean detach, Boolean tty, List<Integer> consoleSize) {
    }

    private final ContainerJobs containers;

    ExecRoutes(ContainerJobs containers) {
        this.containers = containers;
    }

    void register(ApiRouter router) {
        router.post("/containers/{id}/exec", this::create);
        router.post("/exec/{id}/start", this::start);
        router.get("/exec/{id}/json", r -> containers.inspectExec(r.path("id")).onComplete(ar -> {
            if (ar.succeeded()) {
                r.json(200, ExecJson.inspect(ar.result()));
            } else {
                r.fail(ar.cause());
            }
        }));
        router.post("/exec/{id}/resize", r -> {
            int height = r.requiredIntQuery("h");
            int width = r.requiredIntQuery("w");
            containers.resizeExec(new ResizeExec(r.path("id"), height, width)).onComplete(ar -> {
                if (ar.succeeded()) {
                    r.response().setStatusCode(200).end();
                } else {
                    r.fail(ar.cause());
                }
            });
        });
    }

    private void create(ApiRequest r) {
        r.jsonBody().compose(body -> {
            ExecConfigBody config = JobCodec.decode(body, ExecConfigBody.class);
            return containers.createExec(new CreateExec(r.path("id"), config.user(), isTrue(config.privileged()),
                    isTrue(config.tty()), isTrue(config.attachStdin()), isTrue(config.attachStdout()),
                    isTrue(config.attachStderr()), config.detachKeys(), config.env(), config.workingDir(), config.cmd(),
                    config.consoleSize()));
        }).onComplete(ar -> {
            if (ar.succeeded()) {
                r.json(201, new JsonObject().put("Id", ar.result().id()));
            } else {
                r.fail(ar.cause());
            }
        });
    }

    /**
     * Detached, answers 200 once the process runs. Attached, takes over the connection as attach
     * does; the output is framed unless the start asked for a TTY (dockerd goes by the start's
     * Tty, not the create's).
     */
    private void start(ApiRequest r) {
        r.jsonBody().compose(body -> {
            ExecStartBody start = JobCodec.decode(body, ExecStartBody.class);
            StartExec args = new StartExec(r.path("id"), isTrue(start.detach()), isTrue(start.tty()), start.consoleSize());
            return containers.startExec(args).map(stream -> {
                if (args.detach()) {
                    stream.end();
                    r.response().setStatusCode(200).end();
                } else {
                    hijack(r, stream, args.tty());
                }
                return null;
            });
        }).onFailure(r::fail);
    }

    private static void hijack(ApiRequest r, JobStream stream, boolean tty) {
        ExecAccepted accepted = JobBus.header(ContainerJobTypes.EXEC_START, stream);
        String contentType = !tty && r.version().atLeast(1, 42) ? Hijack.MULTIPLEXED_STREAM : Hijack.RAW_STREAM;
        Hijack.take(r.http(), contentType).onComplete(taken -> {
            if (taken.failed()) {
                stream.cancel();
                r.fail(taken.cause());
                return;
            }
            ContainerRoutes.splice(stream, taken.result(), tty, accepted.stdin());
        });
    }

    private static boolean isTrue(Boolean value) {
        return Boolean.TRUE.equals(value);
    }
}
