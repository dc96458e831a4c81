package dev.berth.api.container;

import dev.berth.api.metrics.EngineMetrics;
import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.api.stream.JobStreamResponse;
import dev.berth.api.stream.LogFraming;
import dev.berth.bus.JobBus;
import dev.berth.bus.contract.logs.LogJobs;
import dev.berth.bus.contract.logs.LogsHeader;

/** GET /containers/{id}/logs: a logs.read stream job rendered in Docker's framing. */
public final class LogRoutes implements RouteGroup {
    static final String MULTIPLEXED = "application/vnd.docker.multiplexed-stream";
    static final String RAW = "application/vnd.docker.raw-stream";

    private final LogJobs logs;
    private final EngineMetrics metrics;

    public LogRoutes(JobBus bus) {
        this(bus, null);
    }

    /** {@code metrics}: where the bytes sent are counted; null for nowhere. */
    public LogRoutes(JobBus bus, EngineMetrics metrics) {
        this.logs = LogJobs.over(bus);
        this.metrics = metrics;
    }

    @Override
    public void register(ApiRouter router) {
        router.get("/containers/{id}/logs", this::logs);
    }

    private void logs(ApiRequest request) {
        boolean timestamps = request.bool("timestamps", false);
        boolean details = request.bool("details", false);
        request.handled(logs.read(LogsQuery.readLogs(request))).onSuccess(stream -> {
            LogsHeader header;
            try {
                header = LogJobs.header(stream);
            } catch (RuntimeException e) {
                stream.cancel();
                request.fail(e);
                return;
            }
            // The body is framed whenever there is no TTY; only the header changed, at 1.42.
            boolean tty = header.tty();
            request.response().putHeader("Content-Type", tty || request.version().below(1, 42) ? RAW : MULTIPLEXED);
            LogFraming framing = new LogFraming(tty, timestamps, details ? header.attributes() : null,
                    copiesPayloadsOnly(request));
            JobStreamResponse.pipe(stream, request.response(), chunk -> counted(framing.format(chunk)),
                    failure -> framing.message("Error grabbing logs: " + failure.getMessage(), System.currentTimeMillis() * 1_000_000L));
        });
    }

    /**
     * Whether the client is the docker CLI, which copies each frame's payload to its stdout or
     * stderr and never shows a frame: whole lines may then share frames. Library clients (docker-java
     * hands each frame to its callback; Testcontainers matches wait-for-log patterns frame by frame)
     * get dockerd's one frame per line.
     */
    private static boolean copiesPayloadsOnly(ApiRequest request) {
        String agent = request.http().getHeader("User-Agent");
        return agent != null && agent.startsWith("Docker-Client/");
    }

    private io.vertx.core.buffer.Buffer counted(io.vertx.core.buffer.Buffer out) {
        if (metrics != null) {
            metrics.logBytesStreamed(out.length());
        }
        return out;
    }
}
