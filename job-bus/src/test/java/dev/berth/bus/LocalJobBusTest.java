package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.berth.bus.local.LocalJobBus;
import dev.berth.bus.stream.BlockingStreams;
import dev.berth.bus.stream.StreamSettings;
import dev.berth.bus.stream.JobStream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalJobBusTest {
    private Vertx vertx;
    private JobBus bus;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        bus = new LocalJobBus(vertx, "n1");
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Throwable failureOf(Future<?> future) throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        future.onComplete(ar -> failure.complete(ar.cause()));
        return failure.get(10, TimeUnit.SECONDS);
    }

    private void serve(JobRoutes routes) throws Exception {
        await(vertx.deployVerticle(new io.vertx.core.VerticleBase() {
            @Override
            public Future<?> start() {
                return bus.serve(WorkerKind.EXEC, routes);
            }
        }));
    }

    @Test
    void repliesAndRecordsTheJob() throws Exception {
        serve(new JobRoutes().request("container.inspect",
                job -> Future.succeededFuture(new JsonObject().put("echo", job.args().getString("ref")))));
        JsonObject reply = await(bus.request(Job.of("container.inspect", new JsonObject().put("ref", "abc"))));
        assertThat(reply.getString("echo")).isEqualTo("abc");
        assertThat(bus.recentJobs()).extracting(JobRecord::type, JobRecord::outcome)
                .containsExactly(tuple("container.inspect", "ok"));
    }

    @Test
    void failuresKeepTheirKindAndMessage() throws Exception {
        serve(new JobRoutes()
                .request("container.inspect", job -> Future.failedFuture(EngineException.notFound("No such container: x")))
                .request("container.start", job -> {
                    throw new IllegalStateException("boom");
                }));
        Throwable notFound = failureOf(bus.request(Job.of("container.inspect", null)));
        assertThat(notFound).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(e.getMessage()).isEqualTo("No such container: x");
        });
        Throwable thrown = failureOf(bus.request(Job.of("container.start", null)));
        assertThat(thrown).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL);
            assertThat(e.getMessage()).isEqualTo("boom");
        });
        Throwable unknown = failureOf(bus.request(Job.of("container.frobnicate", null)));
        assertThat(((EngineException) unknown).kind()).isEqualTo(ErrorKind.NOT_IMPLEMENTED);
    }

    @Test
    void aMissingWorkerIsUnavailable() throws Exception {
        Throwable failure = failureOf(bus.request(Job.of("image.list", null)));
        assertThat(failure).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
    }

    @Test
    void aRefusedStreamFailsLikeARequest() throws Exception {
        serve(new JobRoutes().stream("container.attach",
                (job, stream) -> Future.failedFuture(EngineException.notFound("No such container: y"))));
        Throwable failure = failureOf(bus.openStream(Job.of("container.attach", null)));
        assertThat(((EngineException) failure).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(bus.recentJobs()).extracting(JobRecord::type, JobRecord::outcome)
                .as("the job's record names the worker's kind of failure, not INTERNAL")
                .containsExactly(tuple("container.attach", "NOT_FOUND"));
    }

    @Test
    void aPausedReaderHoldsBackTheWriterAndLosesNothing() throws Exception {
        int chunks = 500;
        AtomicInteger maxPending = new AtomicInteger();
        CompletableFuture<Void> writerDone = new CompletableFuture<>();
        serve(new JobRoutes().stream("container.logs", (job, stream) -> {
            Thread writer = new Thread(() -> {
                try (OutputStream out = BlockingStreams.output(stream)) {
                    for (int i = 0; i < chunks; i++) {
                        out.write(("chunk-" + i + ";").getBytes(StandardCharsets.UTF_8));
                        if (stream.writeQueueFull()) {
                            maxPending.incrementAndGet();
                        }
                    }
                    writerDone.complete(null);
                } catch (Exception e) {
                    writerDone.completeExceptionally(e);
                }
            });
            writer.start();
            return Future.succeededFuture(new JsonObject().put("tty", false));
        }));

        JobStream stream = await(bus.openStream(Job.of("container.logs", null)));
        assertThat(stream.header().getBoolean("tty")).isFalse();
        StringBuilder received = new StringBuilder();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        stream.context().runOnContext(v -> {
            stream.pause();
            stream.handler(chunk -> received.append(chunk.toString(StandardCharsets.UTF_8)));
            stream.endHandler(e -> ended.complete(null));
        });
        Thread.sleep(300);
        assertThat(writerDone).isNotDone();
        stream.context().runOnContext(v -> stream.resume());
        ended.get(10, TimeUnit.SECONDS);
        writerDone.get(10, TimeUnit.SECONDS);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < chunks; i++) {
            expected.append("chunk-").append(i).append(';');
        }
        assertThat(received.toString()).isEqualTo(expected.toString());
        assertThat(maxPending.get()).isPositive();
    }

    @Test
    void inputFlowsToTheWorkerAndItsEndIsSeparateFromOutput() throws Exception {
        CompletableFuture<String> workerRead = new CompletableFuture<>();
        serve(new JobRoutes().stream("container.attach", (job, stream) -> {
            new Thread(() -> {
                try (InputStream in = BlockingStreams.input(stream); OutputStream out = BlockingStreams.output(stream)) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    workerRead.complete(text);
                    out.write(("got " + text.length()).getBytes(StandardCharsets.UTF_8));
                } catch (Exception e) {
                    workerRead.completeExceptionally(e);
                }
            }).start();
            return Future.succeededFuture(new JsonObject());
        }));
        JobStream stream = await(bus.openStream(Job.of("container.attach", null)));
        CompletableFuture<String> reply = new CompletableFuture<>();
        StringBuilder out = new StringBuilder();
        stream.context().runOnContext(v -> {
            stream.handler(b -> out.append(b.toString()));
            stream.endHandler(e -> reply.complete(out.toString()));
            writeHonouringBackPressure(stream, 100, Buffer.buffer("x".repeat(1000)));
        });
        assertThat(workerRead.get(10, TimeUnit.SECONDS)).hasSize(100_000);
        assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("got 100000");
    }

    /** Writes {@code count} copies of {@code chunk}, waiting for drain whenever the window is full, then ends. */
    private static void writeHonouringBackPressure(JobStream stream, int count, Buffer chunk) {
        int[] written = {0};
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            while (written[0] < count) {
                if (stream.writeQueueFull()) {
                    stream.drainHandler(v -> pump[0].run());
                    return;
                }
                stream.write(chunk.copy());
                written[0]++;
            }
            stream.end();
        };
        pump[0].run();
    }

    @Test
    void failureAndCancellationReachThePeer() throws Exception {
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        serve(new JobRoutes()
                .stream("container.failing", (job, stream) -> {
                    stream.write(Buffer.buffer("partial"));
                    stream.fail(new EngineException(ErrorKind.NOT_FOUND, "No such image: gone"));
                    return Future.succeededFuture(new JsonObject());
                })
                .stream("container.endless", (job, stream) -> {
                    stream.cancelHandler(v -> cancelled.complete(null));
                    return Future.succeededFuture(new JsonObject());
                }));

        JobStream failing = await(bus.openStream(Job.of("container.failing", null)));
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        List<String> data = new ArrayList<>();
        failing.context().runOnContext(v -> {
            failing.handler(b -> data.add(b.toString()));
            failing.exceptionHandler(error::complete);
        });
        assertThat(error.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(e.getMessage()).isEqualTo("No such image: gone");
        });
        assertThat(data).containsExactly("partial");

        JobStream endless = await(bus.openStream(Job.of("container.endless", null)));
        endless.cancel();
        cancelled.get(10, TimeUnit.SECONDS);
        assertThat(endless.isCancelled()).isTrue();
    }

    @Test
    void eventsReachSubscribers() throws Exception {
        CompletableFuture<EngineEvent> received = new CompletableFuture<>();
        bus.subscribe(received::complete);
        Thread.sleep(50);
        bus.publish(EngineEvent.now("container", "die", "abc", java.util.Map.of("exitCode", "3")));
        EngineEvent event = received.get(10, TimeUnit.SECONDS);
        assertThat(event.action()).isEqualTo("die");
        assertThat(event.attributes()).containsEntry("exitCode", "3");
        assertThat(event.timeNanos()).isPositive();
    }

    record Slow(String ref) {
    }

    @Test
    void aJobSentByNameGetsTheDeadlineOfTheTypeItsServerDeclares() throws Exception {
        JobType<Slow, Void> slow = JobType.request("container.slow", WorkerKind.EXEC, Slow.class, Void.class)
                .withDeadline(java.time.Duration.ofMillis(300));
        serve(new JobRoutes().on(slow, args -> Promise.<Void>promise().future()));
        long started = System.nanoTime();
        Throwable failure = failureOf(bus.request(Job.of("container.slow", new JsonObject())));
        assertThat(failure).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.DEADLINE_EXCEEDED);
            assertThat(e.getMessage()).startsWith("job container.slow did not finish by its deadline 20");
        });
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(250L, 5000L);
    }

    @Test
    void theServingSideDoesNotStartAJobPastItsDeadline() throws Exception {
        AtomicInteger started = new AtomicInteger();
        serve(new JobRoutes().request("container.inspect", job -> {
            started.incrementAndGet();
            return Future.succeededFuture(new JsonObject());
        }));
        // Straight onto the worker's address, past the caller's own check, as a late delivery would come.
        Job late = Job.of("container.inspect", null).withDeadline(System.currentTimeMillis() - 1);
        Throwable failure = failureOf(vertx.eventBus().request(JobAddresses.worker("n1", WorkerKind.EXEC), late.toJson()));
        assertThat(failure).isInstanceOfSatisfying(io.vertx.core.eventbus.ReplyException.class,
                e -> assertThat(ErrorKind.ofCode(e.failureCode())).isEqualTo(ErrorKind.DEADLINE_EXCEEDED));
        assertThat(started.get()).isZero();
    }

    @Test
    void aNodeLocalJobRunsOnTheCallersNodeAndIsNotSentElsewhere() throws Exception {
        JobType<Slow, Slow> mount = JobType.request("snapshot.mount", WorkerKind.GRAPH, Slow.class, Slow.class).nodeLocal();
        CompletableFuture<Job> seen = new CompletableFuture<>();
        await(vertx.deployVerticle(new io.vertx.core.VerticleBase() {
            @Override
            public Future<?> start() {
                return bus.serve(WorkerKind.GRAPH, new JobRoutes().request(mount.name(), job -> {
                    seen.complete(job);
                    return Future.succeededFuture(new JsonObject().put("ref", "/merged"));
                }));
            }
        }));
        assertThat(await(bus.call(mount, new Slow("c1"))).ref()).isEqualTo("/merged");
        assertThat(seen.get(5, TimeUnit.SECONDS).node()).isEqualTo("n1");
        assertThat(seen.get().locality()).isEqualTo(Locality.NODE_LOCAL);
        Throwable elsewhere = failureOf(bus.request(Job.of(mount, new Slow("c1")).onNode("n2")));
        assertThat(elsewhere).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.getMessage()).contains("node-local"));
    }

    @Test
    void windowIsSmallEnoughToBoundMemory() {
        assertThat(StreamSettings.DEFAULTS.window() * BlockingStreams.CHUNK).isLessThanOrEqualTo(4 << 20);
    }
}
