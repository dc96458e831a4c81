package dev.berth.graph.build;

import dev.berth.bus.EngineException;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.container.AttachContainer;
import dev.berth.bus.contract.container.ContainerConfig;
import dev.berth.bus.contract.container.ContainerJobs;
import dev.berth.bus.contract.container.CreateContainer;
import dev.berth.bus.contract.container.RemoveContainer;
import dev.berth.bus.contract.container.WaitContainer;
import dev.berth.bus.contract.container.WaitOutcome;
import dev.berth.bus.stream.StreamRecords;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A RUN step's container through the exec worker's jobs on the bus. Called on a worker thread
 * of the graph's io pool, which may block on the replies (never an event loop).
 */
public final class BusStepContainers implements StepContainers {
    private final ContainerJobs containers;

    public BusStepContainers(JobBus bus) {
        this.containers = ContainerJobs.over(bus);
    }

    @Override
    public Ran run(String image, List<String> command, List<String> env, Consumer<String> created, Consumer<String> output)
            throws IOException {
        JsonObject config = new JsonObject().put("Image", image).put("Cmd", new JsonArray(command))
                .put("Entrypoint", new JsonArray()).put("Env", new JsonArray(env));
        String id = await(containers.create(new CreateContainer(null,
                JobCodec.decode(config.toBuffer(), ContainerConfig.class), null, null))).id();
        created.accept(id);
        // The output is handed over on the event loop and written to the build stream here, on this thread.
        BlockingQueue<String> pieces = new LinkedBlockingQueue<>();
        Promise<Void> outputEnded = Promise.promise();
        Future<WaitOutcome> exited = containers.attach(new AttachContainer(id, false, true, true, null)).compose(attached -> {
            attached.handler(chunk -> StreamRecords.forEach(chunk,
                    record -> pieces.add(record.payload().toString(StandardCharsets.UTF_8))));
            attached.endHandler(v -> outputEnded.tryComplete());
            attached.exceptionHandler(e -> outputEnded.tryComplete());
            attached.end();
            return containers.await(new WaitContainer(id, "next-exit"));
        }).compose(stream -> {
            Promise<WaitOutcome> outcome = Promise.promise();
            stream.handler(chunk -> outcome.tryComplete(JobCodec.decode(chunk, WaitOutcome.class)));
            stream.exceptionHandler(outcome::tryFail);
            stream.endHandler(v -> outcome.tryFail(EngineException.internal("the wait of " + id + " ended without an outcome", null)));
            stream.end();
            return containers.start(id).compose(started -> outcome.future(), failed -> {
                stream.cancel();
                return Future.failedFuture(failed);
            });
        });
        Future<WaitOutcome> finished = exited.compose(outcome -> outputEnded.future().map(outcome));
        WaitOutcome outcome;
        try {
            CompletableFuture<WaitOutcome> done = finished.toCompletionStage().toCompletableFuture();
            while (!done.isDone() || !pieces.isEmpty()) {
                String piece = pieces.poll(50, TimeUnit.MILLISECONDS);
                if (piece != null) {
                    output.accept(piece);
                }
            }
            outcome = await(finished);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            remove(id);
            throw new IOException("interrupted while running a build step", e);
        } catch (IOException | RuntimeException e) {
            remove(id);
            throw e;
        }
        if (outcome.error() != null && !outcome.error().isEmpty()) {
            remove(id);
            throw EngineException.invalid(outcome.error());
        }
        return new Ran(id, outcome.statusCode());
    }

    @Override
    public void remove(String id) throws IOException {
        await(containers.remove(new RemoveContainer(id, true, true)));
    }

    private static <T> T await(Future<T> reply) throws IOException {
        try {
            return reply.toCompletionStage().toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the exec worker", e);
        } catch (ExecutionException e) {
            throw EngineException.from(e.getCause());
        }
    }
}
