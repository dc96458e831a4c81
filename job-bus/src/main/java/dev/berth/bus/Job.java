package dev.berth.bus;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.UUID;

/**
 * One unit of work: a type such as {@code container.create}, JSON arguments, the node that must
 * run it (null: the local node), an id, an idempotency key and a deadline (epoch millis, 0 for
 * none). Jobs end in one reply, or, for streaming jobs, in a stream closed by an end marker.
 */
public record Job(String id, String type, String node, String idempotencyKey, long deadlineMillis, JsonObject args) {
    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        args = args == null ? new JsonObject() : args;
    }

    public static Job of(String type, JsonObject args) {
        String id = UUID.randomUUID().toString();
        return new Job(id, type, null, id, 0, args);
    }

    /**
     * A job of a typed kind: the arguments encoded by the {@link JobCodec}, the deadline the
     * type names from now.
     */
    public static <A> Job of(JobType<A, ?> type, A args) {
        String id = UUID.randomUUID().toString();
        return new Job(id, type.name(), null, id, System.currentTimeMillis() + type.deadline().toMillis(), JobCodec.encode(args));
    }

    /** The arguments as the record the type names; a field of the wrong JSON type is INVALID_ARGUMENT. */
    public <A> A args(JobType<A, ?> type) {
        return JobCodec.decode(args, type.argsType());
    }

    public Job onNode(String targetNode) {
        return new Job(id, type, targetNode, idempotencyKey, deadlineMillis, args);
    }

    public Job withDeadline(long epochMillis) {
        return new Job(id, type, node, idempotencyKey, epochMillis, args);
    }

    public WorkerKind worker() {
        return JobTypes.workerFor(type);
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("id", id)
                .put("type", type)
                .put("node", node)
                .put("key", idempotencyKey)
                .put("deadline", deadlineMillis)
                .put("args", args);
    }

    public static Job fromJson(JsonObject json) {
        return new Job(json.getString("id"), json.getString("type"), json.getString("node"),
                json.getString("key"), json.getLong("deadline", 0L), json.getJsonObject("args"));
    }

    /** Convenience for handlers: a required string argument, or INVALID_ARGUMENT. */
    public String requireString(String name) {
        String value = args.getString(name);
        if (value == null || value.isEmpty()) {
            throw EngineException.invalid("missing argument " + name + " for " + type);
        }
        return value;
    }
}
