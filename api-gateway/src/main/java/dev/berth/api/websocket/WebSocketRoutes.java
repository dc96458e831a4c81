package dev.berth.api.websocket;

import dev.berth.api.event.EventRoutes;
import dev.berth.api.metrics.EngineMetrics;
import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.api.router.UnixTimeParam;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobBus;
import dev.berth.bus.contract.container.AttachAccepted;
import dev.berth.bus.contract.container.AttachContainer;
import dev.berth.bus.contract.container.ContainerJobTypes;
import dev.berth.bus.contract.container.ContainerJobs;
import dev.berth.bus.contract.event.EventJobs;
import dev.berth.bus.contract.logs.LogJobs;
import dev.berth.bus.contract.logs.ReadLogs;
import dev.berth.bus.stream.JobStream;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.util.List;
import java.util.function.Function;

/**
 * The WebSocket endpoints: Docker's {@code /containers/{id}/attach/ws}, and Berth's
 * {@code /berth/containers/{id}/logs/ws} (a container's log, one JSON message per line) and
 * {@code /berth/events/ws} (the /events stream, one event per message). Each opens its job
 * first, so an unknown container or a bad filter is a plain HTTP error, then upgrades.
 */
public final class WebSocketRoutes implements RouteGroup {
    private final LogJobs logs;
    private final EventJobs events;
    private final ContainerJobs containers;
    private final EngineMetrics metrics;

    /** {@code metrics}: where the log bytes sent are counted; null for nowhere. */
    public WebSocketRoutes(JobBus bus, EngineMetrics metrics) {
        this.logs = LogJobs.over(bus);
        this.events = EventJobs.over(bus);
        this.containers = ContainerJobs.over(bus);
        this.metrics = metrics;
    }

    @Override
    public void register(ApiRouter router) {
        router.get("/berth/containers/{id}/logs/ws", this::logs);
        router.get("/berth/events/ws", this::events);
        router.get("/containers/{id}/attach/ws", this::attach);
    }

    /**
     * Query: stdout, stderr (both by default), follow (by default), tail, since, until, and
     * timestamps (by default: each message carries its line's time).
     */
    private void logs(ApiRequest request) {
        requireUpgrade(request);
        boolean stdout = request.bool("stdout", true);
        boolean stderr = request.bool("stderr", true);
        if (!stdout && !stderr) {
            throw EngineException.invalid("You must choose at least one stream");
        }
        long since = UnixTimeParam.unixNanos("since", request.query("since"));
        long until = UnixTimeParam.unixNanos("until", request.query("until"));
        ReadLogs args = new ReadLogs(request.path("id"), stdout, stderr, request.bool("follow", true), tail(request.query("tail")),
                since, until);
        LogLineMessages messages = new LogLineMessages(request.bool("timestamps", true));
        upgrade(request, logs.read(args), chunk -> {
            List<WebSocketFrame> frames = messages.frames(chunk);
            if (metrics != null) {
                metrics.logBytesStreamed(frames.stream().mapToLong(frame -> frame.binaryData().length()).sum());
            }
            return frames;
        });
    }

    private void events(ApiRequest request) {
        requireUpgrade(request);
        upgrade(request, events.read(EventRoutes.readEvents(request)), chunk -> {
            Buffer lines = EventRoutes.render(chunk);
            List<WebSocketFrame> frames = new java.util.ArrayList<>();
            int start = 0;
            for (int i = 0; i < lines.length(); i++) {
                if (lines.getByte(i) == '\n') {
                    frames.add(WebSocketFrame.textFrame(lines.getString(start, i, "UTF-8"), true));
                    start = i + 1;
                }
            }
            return frames;
        });
    }

    /**
     * Docker's WebSocket attach: the container's output, unframed even without a TTY (as dockerd
     * sends it), in binary messages because output need not be UTF-8; messages from the client are
     * its stdin. {@code logs=1} (the log before the live output) is refused until attach can replay it.
     */
    private void attach(ApiRequest request) {
        requireUpgrade(request);
        if (request.bool("logs", false)) {
            throw EngineException.invalid("berth does not support attach/ws with logs=1 yet");
        }
        if (!request.bool("stream", false)) {
            throw EngineException.invalid("attach/ws without stream=1 attaches to nothing: berth attaches to the live streams only");
        }
        boolean stdin = request.bool("stdin", false);
        AttachContainer args = new AttachContainer(request.path("id"), stdin, request.bool("stdout", false),
                request.bool("stderr", false), request.query("detachKeys"));
        request.handled(containers.attach(args)).onFailure(e -> request.http().resume()).onSuccess(stream -> {
            stream.pause();
            AttachAccepted accepted = JobBus.header(ContainerJobTypes.ATTACH, stream);
            request.http().toWebSocket().onComplete(upgraded -> {
                if (upgraded.failed()) {
                    stream.cancel();
                    request.fail(upgraded.cause());
                    return;
                }
                ServerWebSocket socket = upgraded.result();
                if (stdin && accepted.openStdin()) {
                    stream.drainHandler(v -> socket.resume());
                    socket.handler(data -> {
                        stream.write(data);
                        if (stream.writeQueueFull()) {
                            socket.pause();
                        }
                    });
                } else {
                    socket.handler(data -> { });
                    stream.end();
                }
                SocketPump.pipe(stream, socket, chunk -> {
                    List<WebSocketFrame> frames = new java.util.ArrayList<>();
                    dev.berth.bus.stream.StreamRecords.forEach(chunk,
                            record -> frames.add(WebSocketFrame.binaryFrame(record.payload().copy(), true)));
                    return frames;
                });
            });
        });
    }

    /**
     * Refuses a plain request, and holds the request's end back: Vert.x completes an upgrade when
     * the request ends, so an upgrade begun after the end (once the job is open) would never finish.
     */
    private static void requireUpgrade(ApiRequest request) {
        if (!request.http().canUpgradeToWebSocket()) {
            throw EngineException.invalid("this endpoint speaks WebSocket: send an Upgrade: websocket request");
        }
        request.http().pause();
    }

    private static void upgrade(ApiRequest request, Future<JobStream> opened, Function<Buffer, List<WebSocketFrame>> frames) {
        request.handled(opened).onFailure(e -> request.http().resume()).onSuccess(stream -> {
            stream.pause();
            request.http().toWebSocket().onComplete(upgraded -> {
                if (upgraded.failed()) {
                    stream.cancel();
                    request.fail(upgraded.cause());
                    return;
                }
                ServerWebSocket socket = upgraded.result();
                socket.handler(data -> { });
                SocketPump.pipe(stream, socket, frames);
            });
        });
    }

    /** As docker logs reads it: "all", empty or not a count means every line. */
    private static int tail(String value) {
        if (value == null) {
            return -1;
        }
        try {
            int lines = Integer.parseInt(value.trim());
            return lines < 0 ? -1 : lines;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
