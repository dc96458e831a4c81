package dev.berth.bus;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One unit of work: a type such as {@code container.create}, JSON arguments, the node that must
 * run it (null: placed by the bus, see {@link JobBus}), an id, an idempotency key, a deadline
 * (epoch millis; 0 until the bus gives it the default of its type) and where it may run
 * (null until the bus knows its type). Jobs end in one reply, or, for streaming jobs, in a
 * stream closed by an end marker.
 */
public record Job(String id, String type, String node, String idempotencyKey, long deadlineMillis, JsonObject args,
        Locality locality) {
    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        args = args == null ? new JsonObject() : args;
        idempotencyKey = idempotencyKey == null ? id : idempotencyKey;
    }

    /** A job whose locality the bus looks up from its type. */
    public Job(String id, String type, String node, String idempotencyKey, long deadlineMillis, JsonObject args) {
        this(id, type, node, idempotencyKey, deadlineMillis, args, null);
    }

    /** An untyped job: the bus gives it its type's deadline and locality when it sends it. */
    public static Job of(String type, JsonObject args) {
        String id = UUID.randomUUID().toString();
        return new Job(id, type, null, id, 0, args, null);
    }

    /**
     * A job of a typed kind: the arguments encoded by the {@link JobCodec}, the deadline the
     * type names from now, the type's locality.
     */
    public static <A> Job of(JobType<A, ?> type, A args) {
        return of(type, args, type.deadline());
    }

    /** A typed job with a deadline of its own, for jobs whose length depends on their arguments (a stop's timeout). */
    public static <A> Job of(JobType<A, ?> type, A args, Duration deadline) {
        String id = UUID.randomUUID().toString();
        return new Job(id, type.name(), null, id, System.currentTimeMillis() + deadline.toMillis(), JobCodec.encode(args),
                type.locality());
    }

    /** The arguments as the record the type names; a field of the wrong JSON type is INVALID_ARGUMENT. */
    public <A> A args(JobType<A, ?> type) {
        return JobCodec.decode(args, type.argsType());
    }

    public Job onNode(String targetNode) {
        return new Job(id, type, targetNode, idempotencyKey, deadlineMillis, args, locality);
    }

    public Job withDeadline(long epochMillis) {
        return new Job(id, type, node, idempotencyKey, epochMillis, args, locality);
    }

    public Job withLocality(Locality value) {
        return new Job(id, type, node, idempotencyKey, deadlineMillis, args, value);
    }

    /**
     * The key under which the serving side remembers this job's outcome: a job sent again with
     * the key of one it has recently run gets that job's reply instead of running twice. By
     * default the key is the job's id, so only a resend of the same job is one.
     */
    public Job withIdempotencyKey(String key) {
        return new Job(id, type, node, key, deadlineMillis, args, locality);
    }

    public boolean hasDeadline() {
        return deadlineMillis > 0;
    }

    /** True when the job has a deadline and it is at or before {@code nowMillis}. */
    public boolean expiredAt(long nowMillis) {
        return hasDeadline() && deadlineMillis <= nowMillis;
    }

    /** The failure of a job whose deadline passed: it names the type and the deadline. */
    public EngineException deadlineExceeded() {
        return new EngineException(ErrorKind.DEADLINE_EXCEEDED,
                "job " + type + " did not finish by its deadline " + Instant.ofEpochMilli(deadlineMillis));
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
                .put("locality", locality == null ? null : locality.name())
                .put("args", args);
    }

    public static Job fromJson(JsonObject json) {
        String locality = json.getString("locality");
        return new Job(json.getString("id"), json.getString("type"), json.getString("node"),
                json.getString("key"), json.getLong("deadline", 0L), json.getJsonObject("args"),
                locality == null ? null : Locality.valueOf(locality));
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
