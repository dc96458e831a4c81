package dev.berth.log.event;

import dev.berth.bus.contract.event.EventJobTypes;
import dev.berth.bus.contract.event.EventsAccepted;
import dev.berth.bus.contract.event.ReadEvents;
import dev.berth.bus.stream.JobStream;
import io.vertx.core.Future;
import java.util.function.BiFunction;

/**
 * The {@link EventJobTypes#READ} job: checks the filters, places the reader's cursor (at the
 * first kept event since {@code since}, or at the next live one), accepts, then feeds the stream.
 */
public final class EventsReadJob implements BiFunction<ReadEvents, JobStream, Future<EventsAccepted>> {
    private final EventJournal journal;
    private final String node;

    public EventsReadJob(EventJournal journal, String node) {
        this.journal = journal;
        this.node = node;
    }

    @Override
    public Future<EventsAccepted> apply(ReadEvents args, JobStream stream) {
        EventFilter filter;
        try {
            filter = EventFilter.of(args.filters());
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        long since = args.since() == null ? 0 : args.since();
        long until = args.until() == null ? 0 : args.until();
        long next = journal.nextSequence();
        long cursor = args.since() != null ? journal.firstAt(since) : next;
        EventFeed feed = new EventFeed(journal, filter, stream, cursor, since, until);
        // Feeding starts after the accept has gone out.
        stream.context().runOnContext(v -> feed.start());
        return Future.succeededFuture(new EventsAccepted(node, next));
    }
}
