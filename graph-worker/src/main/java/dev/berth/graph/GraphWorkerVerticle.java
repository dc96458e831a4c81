package dev.berth.graph;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.EngineEvent;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.Job;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.JobTypes;
import dev.berth.bus.WorkerKind;
import dev.berth.bus.stream.BlockingStreams;
import dev.berth.bus.stream.JobStream;
import dev.berth.graph.image.ImageConfig;
import dev.berth.graph.image.ImageEvents;
import dev.berth.host.FileOps;
import dev.berth.host.Mounts;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wiring of the graph worker: images, layers and snapshots. Every job runs on the named worker
 * pool "berth-graph"; archive streams on "berth-graph-io", so a long load never queues an inspect.
 */
public final class GraphWorkerVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(GraphWorkerVerticle.class);
    private static final int POOL = 4;
    private static final int IO_POOL = 4;

    private final JobBus bus;
    private final GraphOptions options;
    private WorkerExecutor executor;
    private WorkerExecutor ioExecutor;
    private Graph graph;
    private JobBus.Registration registration;

    public GraphWorkerVerticle(JobBus bus, GraphOptions options) {
        this.bus = bus;
        this.options = options;
    }

    @Override
    public Future<?> start() {
        executor = vertx.createSharedWorkerExecutor("berth-graph", POOL);
        ioExecutor = vertx.createSharedWorkerExecutor("berth-graph-io", IO_POOL);
        return executor.executeBlocking(() -> Graph.open(options, FileOps.linux(), Mounts.linux(), events()), false)
                .compose(opened -> {
                    graph = opened;
                    return bus.serve(WorkerKind.GRAPH, routes());
                })
                .onSuccess(r -> registration = r);
    }

    private JobRoutes routes() {
        return new JobRoutes()
                .request(JobTypes.IMAGE_INSPECT, job -> blocking(() -> graph.images().inspect(job.requireString("ref"))))
                .request(JobTypes.IMAGE_SUMMARY, job -> blocking(() -> graph.summary()))
                .request(JobTypes.IMAGE_LIST, job -> blocking(() -> wrap("images",
                        graph.images().list(job.args().getBoolean("all", false), filters(job)))))
                .request(JobTypes.IMAGE_TAG, job -> blocking(() -> {
                    graph.images().tag(job.requireString("ref"), job.args().getString("repo"), job.args().getString("tag"));
                    return null;
                }))
                .request(JobTypes.IMAGE_REMOVE, job -> blocking(() -> wrap("items", graph.images().remove(job.requireString("ref"),
                        job.args().getBoolean("force", false), !job.args().getBoolean("noprune", false)))))
                .request(JobTypes.SNAPSHOT_PREPARE, job -> blocking(() -> graph.prepareSnapshot(job.requireString("id"),
                        job.requireString("image"))))
                .request(JobTypes.SNAPSHOT_MOUNT, job -> blocking(() -> graph.mountSnapshot(job.requireString("id"))))
                .request(JobTypes.SNAPSHOT_UNMOUNT, job -> blocking(() -> graph.unmountSnapshot(job.requireString("id"))))
                .request(JobTypes.SNAPSHOT_REMOVE, job -> blocking(() -> graph.removeSnapshot(job.requireString("id"))))
                .stream(JobTypes.IMAGE_LOAD, this::load)
                .stream(JobTypes.IMAGE_SAVE, this::save);
    }

    /** Accepts at once; the archive is read, and progress written, on the io pool. */
    private Future<JsonObject> load(Job job, JobStream stream) {
        boolean quiet = job.args().getBoolean("quiet", false);
        ioExecutor.executeBlocking(() -> {
            InputStream archive = BlockingStreams.input(stream);
            OutputStream progress = BlockingStreams.output(stream);
            try {
                graph.loader().load(archive, quiet, message -> {
                    progress.write(ImageConfig.JSON.writeValueAsBytes(message));
                    progress.flush();
                });
                progress.close();
            } catch (Exception e) {
                fail(job, stream, e);
            }
            return null;
        }, false);
        return Future.succeededFuture(new JsonObject());
    }

    /** Resolves the names first, so an unknown one refuses the job before any byte is sent. */
    private Future<JsonObject> save(Job job, JobStream stream) {
        List<String> refs = new ArrayList<>();
        job.args().getJsonArray("refs", new JsonArray()).forEach(r -> refs.add(String.valueOf(r)));
        return executor.executeBlocking(() -> graph.saver().plan(refs), false).map(plan -> {
            ioExecutor.executeBlocking(() -> {
                try {
                    graph.saver().write(plan, new BufferedOutputStream(BlockingStreams.output(stream), BlockingStreams.CHUNK));
                } catch (Exception e) {
                    fail(job, stream, e);
                }
                return null;
            }, false);
            return new JsonObject();
        });
    }

    private static void fail(Job job, JobStream stream, Exception failure) {
        Throwable cause = failure instanceof UncheckedIOException ? failure.getCause() : failure;
        if (cause instanceof IOException && cause.getCause() instanceof EngineException) {
            cause = cause.getCause();
        }
        EngineException error = EngineException.from(cause);
        if (stream.isCancelled()) {
            LOG.info("job {} {} abandoned by its caller", job.id(), job.type());
            return;
        }
        if (error.kind() == ErrorKind.INTERNAL) {
            LOG.warn("job {} {} failed", job.id(), job.type(), cause);
        }
        stream.fail(error);
    }

    /** Runs work on the worker pool; its JSON (Jackson) becomes the reply. */
    private Future<JsonObject> blocking(java.util.concurrent.Callable<JsonNode> work) {
        return executor.executeBlocking(() -> {
            JsonNode result = work.call();
            return result == null ? new JsonObject() : new JsonObject(result.toString());
        }, false);
    }

    private static JsonNode wrap(String field, JsonNode value) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().set(field, value);
    }

    private static Map<String, List<String>> filters(Job job) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        JsonObject raw = job.args().getJsonObject("filters", new JsonObject());
        for (String key : raw.fieldNames()) {
            List<String> values = new ArrayList<>();
            Object value = raw.getValue(key);
            if (value instanceof JsonArray) {
                ((JsonArray) value).forEach(v -> values.add(String.valueOf(v)));
            } else if (value != null) {
                values.add(String.valueOf(value));
            }
            filters.put(key, values);
        }
        return filters;
    }

    private ImageEvents events() {
        return (action, image, name) -> bus.publish(EngineEvent.now("image", action, image.toString(), Map.of("name", name)));
    }

    @Override
    public Future<?> stop() {
        Future<Void> unregistered = registration != null ? registration.unregister() : Future.succeededFuture();
        return unregistered.andThen(ar -> {
            if (graph != null) {
                graph.close();
            }
            executor.close();
            ioExecutor.close();
        });
    }

    GraphOptions options() {
        return options;
    }
}
