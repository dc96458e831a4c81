package dev.berth.api.container;

import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.api.stream.JobStreamResponse;
import dev.berth.api.stream.LogFraming;
import dev.berth.bus.Job;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobTypes;
import io.vertx.core.json.JsonObject;

/** GET /containers/{id}/logs: a logs.read stream job rendered in Docker's framing. */
public final class LogRoutes implements RouteGroup {
    static final String MULTIPLEXED = "application/vnd.docker.multiplexed-stream";
    static final String RAW = "application/vnd.docker.raw-stream";

    private final JobBus bus;

    public LogRoutes(JobBus bus) {
        this.bus = bus;
    }

    @Override
    public void register(ApiRouter router) {
        router.get("/containers/{id}/logs", this::logs);
    }

    private void logs(ApiRequest request) {
        JsonObject args = LogsQuery.jobArgs(request);
        boolean timestamps = request.bool("timestamps", false);
        request.handled(bus.openStream(Job.of(JobTypes.LOGS_READ, args))).onSuccess(stream -> {
            boolean tty = stream.header().getBoolean("tty", false);
            // The body is framed whenever there is no TTY; only the header changed, at 1.42.
            request.response().putHeader("Content-Type", tty || request.version().below(1, 42) ? RAW : MULTIPLEXED);
            LogFraming framing = new LogFraming(tty, timestamps);
            JobStreamResponse.pipe(stream, request.response(), framing::format,
                    failure -> framing.message("Error grabbing logs: " + failure.getMessage(), System.currentTimeMillis() * 1_000_000L));
        });
    }
}
