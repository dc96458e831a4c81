package dev.berth.bus;

import dev.berth.bus.stream.JobStream;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/** The job types one worker takes, each with its handler. */
public final class JobRoutes {
    /** Runs a plain job; the future holds the reply. */
    @FunctionalInterface
    public interface RequestHandler {
        Future<JsonObject> handle(Job job);
    }

    /**
     * Starts a streaming job on the worker's side of its stream. The future holds the header that
     * accepts the job; a failed future refuses it, and the stream is then discarded.
     */
    @FunctionalInterface
    public interface StreamHandler {
        Future<JsonObject> handle(Job job, JobStream stream);
    }

    private final Map<String, RequestHandler> requests = new HashMap<>();
    private final Map<String, StreamHandler> streams = new HashMap<>();
    private final Map<String, JobType<?, ?>> types = new HashMap<>();

    public JobRoutes request(String type, RequestHandler handler) {
        requests.put(type, handler);
        return this;
    }

    public JobRoutes stream(String type, StreamHandler handler) {
        streams.put(type, handler);
        return this;
    }

    /** The serving side of a typed plain job: arguments decoded, reply encoded by the {@link JobCodec}. */
    public <A, R> JobRoutes on(JobType<A, R> type, java.util.function.Function<A, Future<R>> handler) {
        if (type.streaming()) {
            throw new IllegalArgumentException(type.name() + " is a streaming job");
        }
        types.put(type.name(), type);
        return request(type.name(), job -> handler.apply(job.args(type)).map(JobCodec::encode));
    }

    /** The serving side of a typed streaming job; the future holds the header that accepts it. */
    public <A, H> JobRoutes onStream(JobType<A, H> type, java.util.function.BiFunction<A, JobStream, Future<H>> handler) {
        if (!type.streaming()) {
            throw new IllegalArgumentException(type.name() + " is a plain job");
        }
        types.put(type.name(), type);
        return stream(type.name(), (job, stream) -> handler.apply(job.args(type), stream).map(JobCodec::encode));
    }

    public RequestHandler requestHandler(String type) {
        return requests.get(type);
    }

    public StreamHandler streamHandler(String type) {
        return streams.get(type);
    }

    /**
     * The typed kind of a job these routes take ({@link #on}, {@link #onStream}), or null: how a
     * bus that serves these routes learns the deadline and locality of jobs sent by name.
     */
    public JobType<?, ?> type(String name) {
        return types.get(name);
    }
}
