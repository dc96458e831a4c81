package dev.berth.log.follow;

import static dev.berth.log.file.LogFiles.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.EngineEvent;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.Job;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.WorkerKind;
import dev.berth.bus.contract.logs.LogJobs;
import dev.berth.bus.contract.logs.LogsHeader;
import dev.berth.bus.contract.logs.ReadLogs;
import dev.berth.bus.local.LocalJobBus;
import dev.berth.bus.stream.JobStream;
import dev.berth.bus.stream.StreamRecords;
import dev.berth.log.LogOptions;
import dev.berth.log.LogStreamVerticle;
import dev.berth.log.file.LogFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log worker on a real local bus, with a fake exec worker answering container.inspect. */
class LogsReadJobTest {
    private static final String ID = "0123456789abcdef".repeat(4);

    @TempDir
    Path dir;

    private Vertx vertx;
    private JobBus bus;
    private Path logPath;
    /** What the fake exec worker answers, by ref; a missing ref is NOT_FOUND. */
    private final Map<String, JsonObject> containers = new ConcurrentHashMap<>();
    private final AtomicInteger inspections = new AtomicInteger();
    /** Runs on the fake exec worker before each inspection is answered. */
    private volatile Consumer<Integer> beforeInspectReply = n -> { };

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        bus = new LocalJobBus(vertx, "n1");
        logPath = dir.resolve(ID + ".log");
        await(vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                return bus.serve(WorkerKind.EXEC, new JobRoutes().request(dev.berth.bus.contract.container.ContainerJobTypes.INSPECT.name(), job -> {
                    String ref = job.args().getString("ref");
                    JsonObject view = containers.get(ref);
                    beforeInspectReply.accept(inspections.incrementAndGet());
                    return view == null ? Future.failedFuture(EngineException.notFound("No such container: " + ref))
                            : Future.succeededFuture(view.copy());
                }));
            }
        }));
        await(vertx.deployVerticle(new LogStreamVerticle(bus, options())));
    }

    /** Polling every 20 ms here; {@link LogsReadJobInotifyTest} runs the same tests with inotify. */
    LogOptions options() {
        return new LogOptions(2, 20, false);
    }

    long medianLatencyBoundMillis() {
        return 100;
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void container(boolean running, boolean tty) {
        JsonObject view = new JsonObject().put("id", ID).put("name", "web").put("logPath", logPath.toString())
                .put("config", new JsonObject().put("Tty", tty))
                .put("state", new JsonObject().put("status", running ? "running" : "exited").put("running", running)
                        .put("startedAt", "2026-11-28T05:34:56.750913203Z").put("finishedAt", "0001-01-01T00:00:00Z"));
        containers.put("web", view);
        containers.put(ID, view);
    }

    private static JsonObject args(boolean follow, int tail) {
        return new JsonObject().put("ref", "web").put("stdout", true).put("stderr", true).put("follow", follow)
                .put("tail", tail).put("since", 0L).put("until", 0L);
    }

    private JobStream open(JsonObject args) throws Exception {
        return await(bus.openStream(Job.of(dev.berth.bus.contract.logs.LogJobTypes.READ.name(), args)));
    }

    /** Everything the stream carries, as records; completes at its end. */
    private static final class Received {
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        final StringBuilder stdout = new StringBuilder();
        final StringBuilder stderr = new StringBuilder();

        Received(JobStream stream) {
            stream.context().runOnContext(v -> {
                stream.handler(chunk -> StreamRecords.forEach(chunk, r -> {
                    String text = r.payload().toString(StandardCharsets.UTF_8);
                    synchronized (this) {
                        (r.stream() == StreamRecords.STDERR ? stderr : stdout).append(text);
                    }
                    lines.add(text);
                }));
                stream.endHandler(e -> ended.complete(null));
                stream.exceptionHandler(ended::completeExceptionally);
            });
        }

        synchronized String out() {
            return stdout.toString();
        }

        synchronized String err() {
            return stderr.toString();
        }
    }

    private static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private void write(String stream, String text) throws Exception {
        LogFiles.append(logPath, record(nowNanos(), stream, 'F', text));
    }

    private void die() {
        bus.publish(EngineEvent.now("container", "die", ID, Map.of("exitCode", "0", "name", "web", "image", "busybox")));
    }

    @Test
    void readsTheLogOfAStoppedContainerAndEnds() throws Exception {
        container(false, false);
        write("stdout", "out");
        write("stderr", "err");
        JobStream stream = open(args(false, -1));
        assertThat(stream.header().getBoolean("tty")).isFalse();
        Received received = new Received(stream);
        received.ended.get(10, TimeUnit.SECONDS);
        assertThat(received.out()).isEqualTo("out\n");
        assertThat(received.err()).isEqualTo("err\n");
    }

    @Test
    void tellsTheCallerAboutTheTty() throws Exception {
        container(false, true);
        JobStream stream = open(args(false, -1));
        assertThat(stream.header().getBoolean("tty")).isTrue();
        new Received(stream).ended.get(10, TimeUnit.SECONDS);
    }

    @Test
    void theTypedClientGetsTheTailAndTheHeader() throws Exception {
        container(false, true);
        write("stdout", "one");
        write("stdout", "two");
        write("stdout", "three");
        JobStream stream = await(LogJobs.over(bus).read(new ReadLogs("web", true, true, false, 2, null, null)));
        assertThat(LogJobs.header(stream)).isEqualTo(new LogsHeader(true));
        Received received = new Received(stream);
        received.ended.get(10, TimeUnit.SECONDS);
        assertThat(received.out()).isEqualTo("two\nthree\n");
    }

    @Test
    void aReadWithoutAContainerIsABadRequest() {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        LogJobs.over(bus).read(new ReadLogs(null, true, true, false, null, null, null)).onComplete(ar -> failure.complete(ar.cause()));
        assertThat(failure).succeedsWithin(10, TimeUnit.SECONDS).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }

    @Test
    void anUnknownContainerIsRefusedAsNotFound() {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        bus.openStream(Job.of(dev.berth.bus.contract.logs.LogJobTypes.READ.name(), args(false, -1).put("ref", "nope"))).onComplete(ar -> failure.complete(ar.cause()));
        assertThat(failure).succeedsWithin(10, TimeUnit.SECONDS).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(e.getMessage()).isEqualTo("No such container: nope");
        });
    }

    @Test
    void aContainerThatNeverStartedHasAnEmptyLog() throws Exception {
        container(false, false);
        Received received = new Received(open(args(true, -1)));
        received.ended.get(10, TimeUnit.SECONDS);
        assertThat(received.out()).isEmpty();
    }

    @Test
    void followingAStoppedContainerEndsAfterWhatIsThere() throws Exception {
        container(false, false);
        write("stdout", "last words");
        Received received = new Received(open(args(true, -1)));
        received.ended.get(10, TimeUnit.SECONDS);
        assertThat(received.out()).isEqualTo("last words\n");
    }

    @Test
    void followingShowsNewLinesAndEndsAfterTheDieEventWithNothingLost() throws Exception {
        container(true, false);
        write("stdout", "before");
        Received received = new Received(open(args(true, -1)));
        assertThat(received.lines.poll(5, TimeUnit.SECONDS)).isEqualTo("before\n");
        write("stderr", "during");
        assertThat(received.lines.poll(5, TimeUnit.SECONDS)).isEqualTo("during\n");
        // Output written just before the exit must still arrive: the die event earns a last read.
        for (int i = 0; i < 100; i++) {
            write("stdout", "final " + i);
        }
        die();
        received.ended.get(10, TimeUnit.SECONDS);
        StringBuilder expected = new StringBuilder("before\n");
        for (int i = 0; i < 100; i++) {
            expected.append("final ").append(i).append('\n');
        }
        assertThat(received.out()).isEqualTo(expected.toString());
        assertThat(received.err()).isEqualTo("during\n");
    }

    @Test
    void followingWaitsForTheLogOfARunningContainerToAppear() throws Exception {
        container(true, false);
        Received received = new Received(open(args(true, 0)));
        Thread.sleep(100);
        write("stdout", "hello");
        assertThat(received.lines.poll(5, TimeUnit.SECONDS)).isEqualTo("hello\n");
        die();
        received.ended.get(10, TimeUnit.SECONDS);
    }

    @Test
    void anExitBetweenTheLookupAndTheStateCheckIsNotMissed() throws Exception {
        container(true, false);
        write("stdout", "short life");
        // The container dies right after the worker read its state as running.
        beforeInspectReply = n -> {
            if (n == 2) {
                die();
            }
        };
        Received received = new Received(open(args(true, -1)));
        received.ended.get(10, TimeUnit.SECONDS);
        assertThat(received.out()).isEqualTo("short life\n");
    }

    @Test
    void followLatencyIsShort() throws Exception {
        container(true, false);
        Received received = new Received(open(args(true, -1)));
        long[] latencies = new long[20];
        for (int i = 0; i < latencies.length; i++) {
            long start = System.nanoTime();
            write("stdout", "ping " + i);
            assertThat(received.lines.poll(5, TimeUnit.SECONDS)).isEqualTo("ping " + i + "\n");
            latencies[i] = (System.nanoTime() - start) / 1_000_000;
            Thread.sleep(7 * (i % 5));
        }
        die();
        received.ended.get(10, TimeUnit.SECONDS);
        Arrays.sort(latencies);
        System.out.printf("follow latency with %s: median %d ms, max %d ms%n", options(), latencies[latencies.length / 2],
                latencies[latencies.length - 1]);
        assertThat(latencies[latencies.length / 2]).isLessThan(medianLatencyBoundMillis());
    }

    @Test
    void aPausedCallerHoldsTheReaderBackAndLosesNothing() throws Exception {
        container(false, false);
        StringBuilder content = new StringBuilder();
        String payload = "z".repeat(4000);
        for (int i = 0; i < 2000; i++) {
            content.append(record(i, "stdout", 'F', i + payload));
        }
        Files.writeString(logPath, content.toString());
        JobStream stream = open(args(false, -1));
        List<Buffer> chunks = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        stream.context().runOnContext(v -> {
            stream.pause();
            stream.handler(chunks::add);
            stream.endHandler(e -> ended.complete(null));
        });
        Thread.sleep(300);
        assertThat(chunks).isEmpty();
        assertThat(ended).isNotDone();
        stream.context().runOnContext(v -> stream.resume());
        ended.get(10, TimeUnit.SECONDS);
        List<String> lines = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Buffer chunk : chunks) {
            assertThat(chunk.length()).isLessThanOrEqualTo(64 * 1024);
            StreamRecords.forEach(chunk, r -> text.append(r.payload().toString(StandardCharsets.UTF_8)));
        }
        for (String line : text.toString().split("\n")) {
            lines.add(line);
        }
        assertThat(lines).hasSize(2000);
        for (int i = 0; i < 2000; i++) {
            assertThat(lines.get(i)).isEqualTo(i + payload);
        }
    }

    @Test
    void aCancelledFollowerStopsReadingAndClosesTheFile() throws Exception {
        container(true, false);
        write("stdout", "hello");
        JobStream stream = open(args(true, -1));
        Received received = new Received(stream);
        assertThat(received.lines.poll(5, TimeUnit.SECONDS)).isEqualTo("hello\n");
        assertThat(openFilesOf(logPath)).isPositive();
        stream.context().runOnContext(v -> stream.cancel());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (openFilesOf(logPath) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(openFilesOf(logPath)).isZero();
    }

    /** How many of this JVM's descriptors point at the file. */
    private static int openFilesOf(Path file) throws Exception {
        int count = 0;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).equals(file)) {
                        count++;
                    }
                } catch (java.io.IOException e) {
                    // closed meanwhile
                }
            }
        }
        return count;
    }
}
