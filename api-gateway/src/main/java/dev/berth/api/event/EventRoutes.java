package dev.berth.api.event;

import dev.berth.api.model.EventMessage;
import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.api.router.UnixTimeParam;
import dev.berth.api.stream.JobStreamResponse;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.event.EventJobs;
import dev.berth.bus.contract.event.EventLines;
import dev.berth.bus.contract.event.ReadEvents;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GET /events: an events.read stream from the journal, each event as Docker's JSON on a line of
 * its own. The 200 goes out at once, before any event, as the CLI waits for it.
 */
public final class EventRoutes implements RouteGroup {
    private final EventJobs events;
    private final AtomicInteger listeners = new AtomicInteger();

    public EventRoutes(JobBus bus) {
        this.events = EventJobs.over(bus);
    }

    /** The clients following /events through this gateway now: /info's NEventsListener. */
    public int listeners() {
        return listeners.get();
    }

    @Override
    public void register(ApiRouter router) {
        router.get("/events", this::events);
    }

    private void events(ApiRequest request) {
        ReadEvents args = readEvents(request);
        request.handled(events.read(args)).onSuccess(stream -> {
            listeners.incrementAndGet();
            request.response().endHandler(v -> listeners.decrementAndGet());
            request.response().putHeader("Content-Type", "application/json");
            JobStreamResponse.pipe(stream, request.response(), EventRoutes::render, null);
        });
    }

    /**
     * since, until and filters as dockerd reads them; a malformed one is a 400 naming it. A since
     * of 0 (the epoch) is given, and replays the whole journal; an absent one means live events only.
     */
    public static ReadEvents readEvents(ApiRequest request) {
        String sinceValue = request.query("since");
        long since = UnixTimeParam.unixNanos("since", sinceValue);
        long until = UnixTimeParam.unixNanos("until", request.query("until"));
        return new ReadEvents(sinceValue == null || sinceValue.isEmpty() ? null : since, until == 0 ? null : until,
                request.filters());
    }

    /** A chunk of the journal's events as Docker's JSON lines. */
    public static Buffer render(Buffer chunk) {
        Buffer out = Buffer.buffer(chunk.length() + 256);
        EventLines.forEach(chunk, event -> out.appendBuffer(JobCodec.encodeToBuffer(EventMessage.of(event))).appendByte((byte) '\n'));
        return out;
    }
}
