package dev.berth.log.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.EngineEvent;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.JobBus;
import dev.berth.bus.contract.event.Event;
import dev.berth.bus.contract.event.EventJobs;
import dev.berth.bus.contract.event.EventLines;
import dev.berth.bus.contract.event.EventsAccepted;
import dev.berth.bus.contract.event.ReadEvents;
import dev.berth.bus.local.LocalJobBus;
import dev.berth.bus.stream.JobStream;
import dev.berth.log.LogOptions;
import dev.berth.log.LogStreamVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** events.read on a real local bus: replay, live events, until, filters, and a reader that fell behind. */
class EventsReadJobTest {
    private static final int JOURNAL = 32;

    private Vertx vertx;
    private JobBus bus;
    private EventJobs events;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        bus = new LocalJobBus(vertx, "n1");
        events = EventJobs.over(bus);
        await(vertx.deployVerticle(new LogStreamVerticle(bus, new LogOptions(1, 20, false, JOURNAL))));
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private void publish(String type, String action, String id) {
        bus.publish(EngineEvent.now(type, action, id, Map.of("name", id)));
    }

    /** Publishes, then waits until a reader from the start of the journal sees it, so that order is known. */
    private void publishAndWait(String type, String action, String id) throws Exception {
        long before = now();
        publish(type, action, id);
        Received all = new Received(await(events.read(new ReadEvents(before, 0L, Map.of()))));
        all.next();
        all.stream.cancel();
    }

    /** What a stream carries; completes at its end or failure. */
    private static final class Received {
        final JobStream stream;
        final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> ended = new CompletableFuture<>();

        Received(JobStream stream) {
            this.stream = stream;
            stream.context().runOnContext(v -> {
                stream.handler(chunk -> EventLines.forEach(chunk, events::add));
                stream.endHandler(x -> ended.complete(null));
                stream.exceptionHandler(ended::completeExceptionally);
            });
        }

        Event next() throws InterruptedException {
            Event event = events.poll(10, TimeUnit.SECONDS);
            assertThat(event).as("an event within 10 s").isNotNull();
            return event;
        }
    }

    @Test
    void sinceReplaysTheJournalThenFollowsLiveEventsNumbered() throws Exception {
        long start = now();
        publishAndWait("container", "create", "a");
        publishAndWait("container", "start", "a");
        JobStream stream = await(events.read(new ReadEvents(start, 0L, Map.of())));
        EventsAccepted accepted = EventJobs.header(stream);
        assertThat(accepted.node()).isEqualTo("n1");
        Received received = new Received(stream);
        Event create = received.next();
        assertThat(create.action()).isEqualTo("create");
        assertThat(create.node()).isEqualTo("n1");
        assertThat(received.next().sequence()).isEqualTo(create.sequence() + 1);
        publish("container", "die", "a");
        Event die = received.next();
        assertThat(die.action()).isEqualTo("die");
        assertThat(die.sequence()).isEqualTo(accepted.nextSequence());
        stream.cancel();
    }

    @Test
    void withoutSinceOnlyLiveEventsCome() throws Exception {
        publishAndWait("container", "create", "old");
        Received received = new Received(await(events.read(new ReadEvents(null, null, Map.of()))));
        publish("container", "create", "new");
        assertThat(received.next().actor().id()).isEqualTo("new");
        received.stream.cancel();
    }

    @Test
    void untilInThePastReplaysTheWindowAndEnds() throws Exception {
        long start = now();
        publishAndWait("image", "tag", "one");
        long middle = now();
        publishAndWait("image", "tag", "two");
        Received received = new Received(await(events.read(new ReadEvents(start, middle, Map.of()))));
        received.ended.get(10, TimeUnit.SECONDS);
        assertThat(received.events).extracting(e -> e.actor().id()).containsExactly("one");
    }

    @Test
    void untilInTheFutureEndsTheStreamWhenItPasses() throws Exception {
        long until = now() + 5_000_000_000L;
        Received received = new Received(await(events.read(new ReadEvents(null, until, Map.of()))));
        // Stamped before until whatever the machine's load: the feed judges by the event's time.
        bus.publish(new EngineEvent("network", "create", "net", Map.of(), until - 1_000_000L));
        bus.publish(new EngineEvent("network", "destroy", "net", Map.of(), until + 1_000_000L));
        assertThat(received.next().action()).isEqualTo("create");
        received.ended.get(15, TimeUnit.SECONDS);
        assertThat(received.events).as("an event after until ends the stream unsent").isEmpty();
    }

    @Test
    void filtersChooseTheEvents() throws Exception {
        long start = now();
        publishAndWait("container", "start", "web");
        publishAndWait("image", "tag", "busybox");
        publishAndWait("container", "start", "db");
        Received received = new Received(await(events.read(new ReadEvents(start, now(),
                Map.of("type", List.of("container"), "container", List.of("db"))))));
        received.ended.get(10, TimeUnit.SECONDS);
        assertThat(received.events).extracting(e -> e.actor().id()).containsExactly("db");
    }

    @Test
    void anUnknownFilterIsRefused() {
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(events.read(new ReadEvents(null, null, Map.of("colour", List.of("red"))))));
        EngineException error = EngineException.from(refused);
        assertThat(error.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(error.getMessage()).isEqualTo("invalid filter 'colour'");
    }

    @Test
    void aReaderThatStopsReadingFallsBehindAndIsToldHowFar() throws Exception {
        JobStream stream = await(events.read(new ReadEvents(null, null, Map.of())));
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        CompletableFuture<Void> paused = new CompletableFuture<>();
        stream.context().runOnContext(v -> {
            stream.pause();
            stream.handler(chunk -> { });
            stream.exceptionHandler(failed::complete);
            paused.complete(null);
        });
        paused.get(10, TimeUnit.SECONDS);
        // Far more events than the journal holds and the stream's window carries.
        for (int i = 0; i < JOURNAL * 4; i++) {
            publish("container", "start", "c" + i);
        }
        await(vertx.timer(300));
        stream.context().runOnContext(v -> stream.resume());
        Throwable failure = failed.get(10, TimeUnit.SECONDS);
        assertThat(failure).hasMessageContaining("events reader fell behind");
    }
}
