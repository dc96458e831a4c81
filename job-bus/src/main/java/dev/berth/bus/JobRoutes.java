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

    public JobRoutes request(String type, RequestHandler handler) {
        requests.put(type, handler);
        return this;
    }

    public JobRoutes stream(String type, StreamHandler handler) {
        streams.put(type, handler);
        return this;
    }

    public RequestHandler requestHandler(String type) {
        return requests.get(type);
    }

    public StreamHandler streamHandler(String type) {
        return streams.get(type);
    }
}
