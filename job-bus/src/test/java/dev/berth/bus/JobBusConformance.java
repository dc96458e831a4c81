package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.stream.JobStream;
import dev.berth.bus.stream.StreamSettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobBus} transport must do, as tests: a transport module extends this class,
 * says how to start a caller bus and a serving bus connected by it, and how to lose stream frames
 * between them. The local bus runs it in {@code LocalJobBusConformanceTest}; the suite ships in
 * job-bus's test-jar.
 */
public abstract class JobBusConformance {
    /** A caller's bus and a serving side's bus, as the transport connects them (one bus for the local transport). */
    public record BusPair(JobBus caller, JobBus server, Vertx callerVertx, Vertx serverVertx) {
    }

    /**
     * Small numbers so that the tests see windows fill and peers vanish quickly; the silence limit
     * (1.5 s) leaves room for a loaded machine that stalls a thread for a moment.
     */
    protected static final StreamSettings SETTINGS = new StreamSettings(8, 32, Duration.ofMillis(250), 6);

    /** Starts a caller and a serving bus that use these stream settings. */
    protected abstract BusPair start(StreamSettings settings) throws Exception;

    /** Stops both buses and whatever they started. */
    protected abstract void stop(BusPair pair) throws Exception;

    /**
     * From now on, loses every stream frame addressed to the caller's side and/or to the serving
     * side of any stream, as a dead peer or a broken link would.
     */
    protected abstract void dropFrames(BusPair pair, boolean toCaller, boolean toServer);

    public record Echo(String text, String failWith, Long delayMillis) {
    }

    public record Echoed(String text, int run) {
    }

    public record Accepted(String greeting) {
    }

    private static final JobType<Echo, Echoed> ECHO =
            JobType.request("container.conformance.echo", WorkerKind.EXEC, Echo.class, Echoed.class);
    private static final JobType<Echo, Echoed> SLOW = JobType.request("container.conformance.slow", WorkerKind.EXEC, Echo.class,
            Echoed.class).withDeadline(Duration.ofMillis(400));
    private static final JobType<Echo, Accepted> TALK =
            JobType.stream("container.conformance.talk", WorkerKind.EXEC, Echo.class, Accepted.class);
    private static final JobType<Echo, Accepted> SLOW_TALK = JobType.stream("container.conformance.slowtalk", WorkerKind.EXEC,
            Echo.class, Accepted.class).withDeadline(Duration.ofMillis(400));

    protected BusPair pair;
    private final AtomicInteger runs = new AtomicInteger();

    @BeforeEach
    void startBuses() throws Exception {
        pair = start(SETTINGS);
    }

    @AfterEach
    void stopBuses() throws Exception {
        stop(pair);
    }

    // ---- helpers ----------------------------------------------------------------------------

    protected static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    protected static EngineException failureOf(Future<?> future) throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        future.onComplete(ar -> failure.complete(ar.cause()));
        Throwable cause = failure.get(10, TimeUnit.SECONDS);
        assertThat(cause).as("the job should have failed").isInstanceOf(EngineException.class);
        return (EngineException) cause;
    }

    private void serve(JobRoutes routes) throws Exception {
        await(pair.serverVertx().deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                return pair.server().serve(WorkerKind.EXEC, routes);
            }
        }));
    }

    /** Echoes after the asked delay (never, for a negative one), or fails with the asked kind. */
    private Future<Echoed> echo(Echo args) {
        int run = runs.incrementAndGet();
        if (args.failWith() != null) {
            return Future.failedFuture(new EngineException(ErrorKind.valueOf(args.failWith()), "failed with " + args.failWith()));
        }
        if (args.delayMillis() == null) {
            return Future.succeededFuture(new Echoed(args.text(), run));
        }
        Promise<Echoed> later = Promise.promise();
        if (args.delayMillis() >= 0) {
            Vertx.currentContext().owner().setTimer(Math.max(1, args.delayMillis()), id -> later.complete(new Echoed(args.text(), run)));
        }
        return later.future();
    }

    private void serveEcho() throws Exception {
        serve(new JobRoutes().on(ECHO, this::echo).on(SLOW, this::echo));
    }

    private static void onContext(JobStream stream, Consumer<JobStream> action) {
        stream.context().runOnContext(v -> action.accept(stream));
    }

    /**
     * Writes chunks "0;", "1;" … on the stream's context: while the window has room when
     * {@code honour}, regardless otherwise. Counts writes the stream took; ends after {@code count}.
     */
    private static void pump(JobStream stream, int count, boolean honour, AtomicInteger taken, List<Throwable> refused) {
        Runnable[] next = new Runnable[1];
        int[] written = {0};
        next[0] = () -> {
            while (written[0] < count) {
                if (honour && stream.writeQueueFull()) {
                    stream.drainHandler(v -> next[0].run());
                    return;
                }
                stream.write(Buffer.buffer(written[0]++ + ";")).onComplete(ar -> {
                    if (ar.succeeded()) {
                        taken.incrementAndGet();
                    } else {
                        refused.add(ar.cause());
                    }
                });
            }
            stream.end();
        };
        onContext(stream, s -> next[0].run());
    }

    private static String expected(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(i).append(';');
        }
        return text.toString();
    }

    /** What one side read: its data, and how its direction ended. */
    private static final class Reading {
        final StringBuilder data = new StringBuilder();
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        final CompletableFuture<Throwable> failed = new CompletableFuture<>();
        final CompletableFuture<Void> cancelled = new CompletableFuture<>();

        /** Installs the handlers; must run on the stream's context. */
        Reading attach(JobStream stream, boolean paused) {
            if (paused) {
                stream.pause();
            }
            stream.handler(chunk -> {
                synchronized (data) {
                    data.append(chunk.toString(StandardCharsets.UTF_8));
                }
            });
            stream.endHandler(v -> ended.complete(null));
            stream.exceptionHandler(failed::complete);
            stream.cancelHandler(v -> cancelled.complete(null));
            return this;
        }

        String text() {
            synchronized (data) {
                return data.toString();
            }
        }
    }

    private JobStream openTalk() throws Exception {
        return await(pair.caller().open(TALK, new Echo("hi", null, null)));
    }

    // ---- request and reply ------------------------------------------------------------------

    @Test
    void aJobGetsItsReply() throws Exception {
        serveEcho();
        Echoed reply = await(pair.caller().call(ECHO, new Echo("hello", null, null)));
        assertThat(reply.text()).isEqualTo("hello");
    }

    @Test
    void everyKindOfFailureArrivesAsItselfWithItsMessage() throws Exception {
        serveEcho();
        for (ErrorKind kind : ErrorKind.values()) {
            EngineException failure = failureOf(pair.caller().call(ECHO, new Echo("x", kind.name(), null)));
            assertThat(failure.kind()).as("kind %s", kind).isEqualTo(kind);
            assertThat(failure.getMessage()).isEqualTo("failed with " + kind.name());
        }
    }

    @Test
    void anExceptionInAHandlerIsInternalAndAnUnknownTypeNotImplemented() throws Exception {
        serve(new JobRoutes().on(ECHO, args -> {
            throw new IllegalStateException("the handler broke");
        }));
        EngineException thrown = failureOf(pair.caller().call(ECHO, new Echo("x", null, null)));
        assertThat(thrown.kind()).isEqualTo(ErrorKind.INTERNAL);
        assertThat(thrown.getMessage()).isEqualTo("the handler broke");
        EngineException unknown = failureOf(pair.caller().request(Job.of("container.conformance.nobody", null)));
        assertThat(unknown.kind()).isEqualTo(ErrorKind.NOT_IMPLEMENTED);
    }

    // ---- deadlines --------------------------------------------------------------------------

    @Test
    void aSlowJobFailsAtItsDeadlineNamingTypeAndDeadline() throws Exception {
        serveEcho();
        long started = System.nanoTime();
        EngineException failure = failureOf(pair.caller().call(SLOW, new Echo("x", null, -1L)));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(failure.kind()).isEqualTo(ErrorKind.DEADLINE_EXCEEDED);
        assertThat(failure.kind().httpStatus()).isEqualTo(503);
        assertThat(failure.getMessage()).contains(SLOW.name()).contains("deadline");
        assertThat(millis).isBetween(300L, 3000L);
    }

    @Test
    void aCallMayNameItsOwnDeadline() throws Exception {
        serveEcho();
        EngineException failure = failureOf(pair.caller().call(ECHO, new Echo("x", null, 2000L), Duration.ofMillis(300)));
        assertThat(failure.kind()).isEqualTo(ErrorKind.DEADLINE_EXCEEDED);
        assertThat(await(pair.caller().call(ECHO, new Echo("y", null, 100L), Duration.ofSeconds(5))).text()).isEqualTo("y");
    }

    @Test
    void aJobWithoutADeadlineArrivesWithOne() throws Exception {
        CompletableFuture<Job> seen = new CompletableFuture<>();
        serve(new JobRoutes().request("container.conformance.untyped", job -> {
            seen.complete(job);
            return Future.succeededFuture(new JsonObject());
        }));
        long before = System.currentTimeMillis();
        await(pair.caller().request(Job.of("container.conformance.untyped", null)));
        Job job = seen.get(5, TimeUnit.SECONDS);
        assertThat(job.deadlineMillis()).isGreaterThan(before)
                .isLessThanOrEqualTo(System.currentTimeMillis() + JobType.DEFAULT_DEADLINE.toMillis());
    }

    @Test
    void aJobWhoseDeadlinePassedIsNeverStarted() throws Exception {
        serveEcho();
        Job late = Job.of(ECHO, new Echo("x", null, null)).withDeadline(System.currentTimeMillis() - 1000);
        EngineException failure = failureOf(pair.caller().request(late));
        assertThat(failure.kind()).isEqualTo(ErrorKind.DEADLINE_EXCEEDED);
        Thread.sleep(200);
        assertThat(runs.get()).isZero();
    }

    @Test
    void aStreamsDeadlineBoundsItsAcceptanceOnly() throws Exception {
        serve(new JobRoutes().onStream(SLOW_TALK, (args, stream) -> {
            if (args.delayMillis() != null) {
                return Promise.<Accepted>promise().future();
            }
            Vertx.currentContext().owner().setTimer(1000, id -> {
                stream.write(Buffer.buffer("late but fine"));
                stream.end();
            });
            return Future.succeededFuture(new Accepted("hello"));
        }));
        EngineException failure = failureOf(pair.caller().open(SLOW_TALK, new Echo("x", null, -1L)));
        assertThat(failure.kind()).isEqualTo(ErrorKind.DEADLINE_EXCEEDED);

        JobStream stream = await(pair.caller().open(SLOW_TALK, new Echo("x", null, null)));
        assertThat(JobBus.header(SLOW_TALK, stream).greeting()).isEqualTo("hello");
        Reading reading = new Reading();
        onContext(stream, s -> reading.attach(s, false));
        reading.ended.get(5, TimeUnit.SECONDS);
        assertThat(reading.text()).isEqualTo("late but fine");
    }

    // ---- idempotency ------------------------------------------------------------------------

    @Test
    void aJobSentTwiceRunsOnceAndBothGetItsReply() throws Exception {
        serveEcho();
        Job job = Job.of(ECHO, new Echo("once", null, null));
        JsonObject first = await(pair.caller().request(job));
        JsonObject second = await(pair.caller().request(job));
        assertThat(second).isEqualTo(first);
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void aCopyThatArrivesWhileTheJobRunsJoinsIt() throws Exception {
        serveEcho();
        Job job = Job.of(ECHO, new Echo("slowly", null, 300L));
        Future<JsonObject> first = pair.caller().request(job);
        Future<JsonObject> second = pair.caller().request(job);
        assertThat(await(second)).isEqualTo(await(first));
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void jobsWithTheSameKeyRunOnceAndOthersRunAgain() throws Exception {
        serveEcho();
        Echoed a = JobCodec.decode(await(pair.caller().request(
                Job.of(ECHO, new Echo("a", null, null)).withIdempotencyKey("key-1"))), Echoed.class);
        Echoed b = JobCodec.decode(await(pair.caller().request(
                Job.of(ECHO, new Echo("a", null, null)).withIdempotencyKey("key-1"))), Echoed.class);
        Echoed c = JobCodec.decode(await(pair.caller().request(
                Job.of(ECHO, new Echo("a", null, null)).withIdempotencyKey("key-2"))), Echoed.class);
        assertThat(b.run()).isEqualTo(a.run());
        assertThat(c.run()).isNotEqualTo(a.run());
        assertThat(runs.get()).isEqualTo(2);
    }

    @Test
    void aDefiniteFailureIsRepeatedAndARetryableOneRunsAgain() throws Exception {
        serveEcho();
        Job notFound = Job.of(ECHO, new Echo("x", ErrorKind.NOT_FOUND.name(), null));
        assertThat(failureOf(pair.caller().request(notFound)).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(failureOf(pair.caller().request(notFound)).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(runs.get()).isEqualTo(1);
        Job unavailable = Job.of(ECHO, new Echo("x", ErrorKind.UNAVAILABLE.name(), null));
        failureOf(pair.caller().request(unavailable));
        failureOf(pair.caller().request(unavailable));
        assertThat(runs.get()).isEqualTo(3);
    }

    @Test
    void aStreamOpenedTwiceWithOneKeyIsRefused() throws Exception {
        serve(new JobRoutes().onStream(TALK, (args, stream) -> Future.succeededFuture(new Accepted("once"))));
        Job job = Job.of(TALK, new Echo("x", null, null));
        JobStream first = await(pair.caller().openStream(job));
        assertThat(first.header().getString("greeting")).isEqualTo("once");
        assertThat(failureOf(pair.caller().openStream(job)).kind()).isEqualTo(ErrorKind.CONFLICT);
        first.cancel();
    }

    // ---- streams ----------------------------------------------------------------------------

    @Test
    void aRefusedStreamFailsLikeAJob() throws Exception {
        serve(new JobRoutes().onStream(TALK, (args, stream) -> Future.failedFuture(EngineException.notFound("No such thing: x"))));
        EngineException failure = failureOf(pair.caller().open(TALK, new Echo("x", null, null)));
        assertThat(failure.kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(failure.getMessage()).isEqualTo("No such thing: x");
    }

    @Test
    void aPausedCallerStopsTheServersWriterAndNothingBuffersPastTheWindow() throws Exception {
        int count = 200;
        AtomicInteger taken = new AtomicInteger();
        List<Throwable> refused = Collections.synchronizedList(new ArrayList<>());
        serve(new JobRoutes().onStream(TALK, (args, stream) -> {
            pump(stream, count, true, taken, refused);
            return Future.succeededFuture(new Accepted("pumping"));
        }));
        JobStream stream = openTalk();
        Reading reading = new Reading();
        onContext(stream, s -> reading.attach(s, true));
        assertWriterHeldBack(taken);
        onContext(stream, JobStream::resume);
        reading.ended.get(10, TimeUnit.SECONDS);
        assertThat(reading.text()).isEqualTo(expected(count));
        assertThat(refused).isEmpty();
    }

    @Test
    void aPausedServerStopsTheCallersWriterAndNothingBuffersPastTheWindow() throws Exception {
        int count = 200;
        CompletableFuture<JobStream> serverSide = new CompletableFuture<>();
        Reading reading = new Reading();
        serve(new JobRoutes().onStream(TALK, (args, stream) -> {
            reading.attach(stream, true);
            serverSide.complete(stream);
            return Future.succeededFuture(new Accepted("listening"));
        }));
        JobStream stream = openTalk();
        AtomicInteger taken = new AtomicInteger();
        List<Throwable> refused = Collections.synchronizedList(new ArrayList<>());
        pump(stream, count, true, taken, refused);
        assertWriterHeldBack(taken);
        JobStream server = serverSide.get(5, TimeUnit.SECONDS);
        onContext(server, JobStream::resume);
        reading.ended.get(10, TimeUnit.SECONDS);
        assertThat(reading.text()).isEqualTo(expected(count));
        assertThat(refused).isEmpty();
    }

    /** The writer took at most a window in flight and a window of queue, and takes no more while the reader stays paused. */
    private static void assertWriterHeldBack(AtomicInteger taken) throws InterruptedException {
        int held = -1;
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (taken.get() != held && System.nanoTime() < giveUp) {
            held = taken.get();
            Thread.sleep(300);
        }
        assertThat(held).isPositive().isLessThanOrEqualTo(2 * SETTINGS.window());
        Thread.sleep(500);
        assertThat(taken.get()).isEqualTo(held);
    }

    @Test
    void aServerThatOnlyWritesLeavesWhenDoneAndTheCallerStillReadsItAll() throws Exception {
        AtomicInteger taken = new AtomicInteger();
        List<Throwable> refused = Collections.synchronizedList(new ArrayList<>());
        serve(new JobRoutes().onStream(TALK, (args, stream) -> {
            pump(stream, 30, true, taken, refused);
            return Future.succeededFuture(new Accepted("writing"));
        }));
        JobStream stream = openTalk();
        Reading reading = new Reading();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        onContext(stream, s -> {
            reading.attach(s, true);
            s.endHandler(v -> {
                order.add("end");
                reading.ended.complete(null);
            });
            s.cancelHandler(v -> order.add("cancel"));
        });
        // The caller never ends its own direction (as a log reader does not); the server is done
        // writing and leaves; nothing it wrote is lost, and its leaving is told after the end.
        Thread.sleep(500);
        onContext(stream, JobStream::resume);
        reading.ended.get(5, TimeUnit.SECONDS);
        assertThat(reading.text()).isEqualTo(expected(30));
        Thread.sleep(200);
        assertThat(order).containsExactly("end", "cancel");
        assertThat(reading.failed).isNotDone();
    }

    @Test
    void eachDirectionEndsOnItsOwn() throws Exception {
        CompletableFuture<String> serverRead = new CompletableFuture<>();
        serve(new JobRoutes().onStream(TALK, (args, stream) -> {
            StringBuilder in = new StringBuilder();
            stream.handler(b -> in.append(b.toString(StandardCharsets.UTF_8)));
            stream.endHandler(v -> {
                serverRead.complete(in.toString());
                // The caller's direction has ended; ours still flows.
                stream.write(Buffer.buffer("after your end"));
                stream.end();
            });
            return Future.succeededFuture(new Accepted("ok"));
        }));
        JobStream stream = openTalk();
        Reading reading = new Reading();
        onContext(stream, s -> {
            reading.attach(s, false);
            s.write(Buffer.buffer("question"));
            s.end();
        });
        assertThat(serverRead.get(5, TimeUnit.SECONDS)).isEqualTo("question");
        reading.ended.get(5, TimeUnit.SECONDS);
        assertThat(reading.text()).isEqualTo("after your end");
        assertThat(reading.failed).isNotDone();
    }

    @Test
    void theServerFailsItsDirectionAndStillReadsTheCallers() throws Exception {
        CompletableFuture<String> serverRead = new CompletableFuture<>();
        serve(new JobRoutes().onStream(TALK, (args, stream) -> {
            StringBuilder in = new StringBuilder();
            stream.write(Buffer.buffer("partial"));
            stream.fail(new EngineException(ErrorKind.CONFLICT, "it broke half way"));
            stream.handler(b -> in.append(b.toString(StandardCharsets.UTF_8)));
            stream.endHandler(v -> serverRead.complete(in.toString()));
            return Future.succeededFuture(new Accepted("ok"));
        }));
        JobStream stream = openTalk();
        Reading reading = new Reading();
        onContext(stream, s -> reading.attach(s, false));
        assertThat(reading.failed.get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
            assertThat(e.getMessage()).isEqualTo("it broke half way");
        });
        assertThat(reading.text()).isEqualTo("partial");
        onContext(stream, s -> {
            s.write(Buffer.buffer("still here"));
            s.end();
        });
        assertThat(serverRead.get(5, TimeUnit.SECONDS)).isEqualTo("still here");
    }

    @Test
    void theCallerFailsItsDirectionAndStillReadsTheServers() throws Exception {
        CompletableFuture<Throwable> serverSaw = new CompletableFuture<>();
        serve(new JobRoutes().onStream(TALK, (args, stream) -> {
            stream.handler(b -> { });
            stream.exceptionHandler(failure -> {
                serverSaw.complete(failure);
                stream.write(Buffer.buffer("noted"));
                stream.end();
            });
            return Future.succeededFuture(new Accepted("ok"));
        }));
        JobStream stream = openTalk();
        Reading reading = new Reading();
        onContext(stream, s -> {
            reading.attach(s, false);
            s.fail(new EngineException(ErrorKind.INVALID_ARGUMENT, "bad input"));
        });
        assertThat(serverSaw.get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
            assertThat(e.getMessage()).isEqualTo("bad input");
        });
        reading.ended.get(5, TimeUnit.SECONDS);
        assertThat(reading.text()).isEqualTo("noted");
    }

    @Test
    void theCallerCancels() throws Exception {
        CompletableFuture<JobStream> cancelled = new CompletableFuture<>();
        serve(new JobRoutes().onStream(TALK, (args, stream) -> {
            stream.cancelHandler(v -> cancelled.complete(stream));
            return Future.succeededFuture(new Accepted("ok"));
        }));
        JobStream stream = openTalk();
        stream.cancel();
        assertThat(stream.isCancelled()).isTrue();
        assertThat(cancelled.get(5, TimeUnit.SECONDS).isCancelled()).isTrue();
    }

    @Test
    void theServerCancels() throws Exception {
        CompletableFuture<JobStream> serverSide = new CompletableFuture<>();
        serve(new JobRoutes().onStream(TALK, (args, stream) -> {
            serverSide.complete(stream);
            return Future.succeededFuture(new Accepted("ok"));
        }));
        JobStream stream = openTalk();
        Reading reading = new Reading();
        onContext(stream, s -> reading.attach(s, false));
        serverSide.get(5, TimeUnit.SECONDS).cancel();
        reading.cancelled.get(5, TimeUnit.SECONDS);
        assertThat(stream.isCancelled()).isTrue();
        assertThat(await(stream.write(Buffer.buffer("into the void")))).isNull();
    }

    @Test
    void aPeerThatVanishesFailsTheStreamOnBothSides() throws Exception {
        Reading serverReading = new Reading();
        serve(new JobRoutes().onStream(TALK, (args, stream) -> {
            serverReading.attach(stream, false);
            return Future.succeededFuture(new Accepted("ok"));
        }));
        JobStream stream = openTalk();
        Reading reading = new Reading();
        onContext(stream, s -> reading.attach(s, false));
        // Idle but alive: pings keep the stream open past the silence limit.
        Thread.sleep(2 * SETTINGS.silenceLimit().toMillis());
        assertThat(reading.failed).isNotDone();
        assertThat(serverReading.failed).isNotDone();

        long cut = System.nanoTime();
        dropFrames(pair, true, true);
        assertGone(reading.failed.get(10, TimeUnit.SECONDS));
        assertGone(serverReading.failed.get(10, TimeUnit.SECONDS));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut))
                .isLessThan(SETTINGS.silenceLimit().toMillis() + 3000);
        reading.cancelled.get(5, TimeUnit.SECONDS);
        serverReading.cancelled.get(5, TimeUnit.SECONDS);
        assertThat(stream.isCancelled()).isTrue();
    }

    @Test
    void aServerThatHearsNothingMoreFailsTheStreamAndTellsTheCaller() throws Exception {
        Reading serverReading = new Reading();
        serve(new JobRoutes().onStream(TALK, (args, stream) -> {
            serverReading.attach(stream, false);
            return Future.succeededFuture(new Accepted("ok"));
        }));
        JobStream stream = openTalk();
        Reading reading = new Reading();
        onContext(stream, s -> reading.attach(s, false));
        dropFrames(pair, false, true);
        assertGone(serverReading.failed.get(10, TimeUnit.SECONDS));
        assertGone(reading.failed.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aCallerThatHearsNothingMoreFailsTheStreamAndTellsTheServer() throws Exception {
        Reading serverReading = new Reading();
        serve(new JobRoutes().onStream(TALK, (args, stream) -> {
            serverReading.attach(stream, false);
            return Future.succeededFuture(new Accepted("ok"));
        }));
        JobStream stream = openTalk();
        Reading reading = new Reading();
        onContext(stream, s -> reading.attach(s, false));
        dropFrames(pair, true, false);
        assertGone(reading.failed.get(10, TimeUnit.SECONDS));
        assertGone(serverReading.failed.get(10, TimeUnit.SECONDS));
        serverReading.cancelled.get(5, TimeUnit.SECONDS);
    }

    private static void assertGone(Throwable failure) {
        assertThat(failure).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
            assertThat(e.getMessage()).contains(TALK.name()).contains("gone");
        });
    }

    @Test
    void aWriterThatIgnoresBackPressureFailsTheStreamInsteadOfFillingMemory() throws Exception {
        AtomicInteger taken = new AtomicInteger();
        List<Throwable> refused = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> cancelledOnServer = new CompletableFuture<>();
        serve(new JobRoutes().onStream(TALK, (args, stream) -> {
            stream.cancelHandler(v -> cancelledOnServer.complete(null));
            pump(stream, 10_000, false, taken, refused);
            return Future.succeededFuture(new Accepted("flooding"));
        }));
        JobStream stream = openTalk();
        Reading reading = new Reading();
        onContext(stream, s -> reading.attach(s, true));
        Throwable failure = reading.failed.get(10, TimeUnit.SECONDS);
        assertThat(failure).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.getMessage()).contains("ignored back-pressure"));
        cancelledOnServer.get(5, TimeUnit.SECONDS);
        assertThat(taken.get()).isLessThanOrEqualTo(SETTINGS.window() + SETTINGS.hardCap());
        assertThat(refused).isNotEmpty();
    }
}
