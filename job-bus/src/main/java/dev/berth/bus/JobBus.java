package dev.berth.bus;

import dev.berth.bus.stream.JobStream;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.time.Duration;
import java.util.List;

/**
 * Where jobs travel between the gateway and the workers, and between workers. One contract, two
 * transports: the local Vert.x event bus inside one JVM, and Kafka across hosts.
 *
 * <p>A plain job ends in one reply ({@link #request}). A streaming job ({@link #openStream}) is
 * first accepted or refused by its worker, like a plain job; once accepted, both sides hold a
 * {@link JobStream}. A refusal or a failed job arrives as a failed future holding an
 * {@link EngineException}, whose {@link ErrorKind} says what went wrong.
 *
 * <p><b>Deadlines.</b> Every job carries one. A job sent without one gets the default of its
 * {@link JobType} when this bus knows the type (it learns the types of the routes it serves), and
 * {@link JobType#DEFAULT_DEADLINE} otherwise. A caller waits no longer than the deadline: then its
 * future fails with {@link ErrorKind#DEADLINE_EXCEEDED}, naming the type and the deadline. The
 * serving side never starts a job whose deadline has passed. It does not stop a job that is
 * already running when its deadline passes; the caller has only stopped waiting. For a streaming
 * job the deadline bounds how long the worker may take to accept it, not the stream's life.
 *
 * <p><b>Idempotency.</b> Every job carries an idempotency key (by default its id). The serving
 * side remembers recent outcomes by type and key ({@link IdempotencyCache}): a plain job that
 * arrives again with a key it has seen joins the running one or gets the same reply, instead of
 * running twice; a streaming job that arrives again is refused with CONFLICT.
 *
 * <p><b>Placement.</b> A job names the node that must run it, or none. A job of a
 * {@link Locality#NODE_LOCAL} type (its arguments or reply name a host path: a rootfs, a network
 * namespace, a log file) without a node is addressed to the caller's own node, and the bus refuses
 * to send it to another node ({@link JobAddressing}). On the local transport every job runs on the
 * local node.
 *
 * <p>Every job is logged with its id, type, node, outcome and duration, and the last ones are kept
 * for {@link #recentJobs()}.
 */
public interface JobBus {
    String localNode();

    Future<io.vertx.core.json.JsonObject> request(Job job);

    Future<JobStream> openStream(Job job);

    /** Sends a typed plain job and decodes its reply. */
    default <A, R> Future<R> call(JobType<A, R> type, A args) {
        if (type.streaming()) {
            throw new IllegalArgumentException(type.name() + " is a streaming job: open it");
        }
        return request(Job.of(type, args)).map(reply -> decodeReply(type, reply));
    }

    /** Sends a typed plain job with a deadline of its own, for jobs whose length depends on their arguments. */
    default <A, R> Future<R> call(JobType<A, R> type, A args, Duration deadline) {
        if (type.streaming()) {
            throw new IllegalArgumentException(type.name() + " is a streaming job: open it");
        }
        return request(Job.of(type, args, deadline)).map(reply -> decodeReply(type, reply));
    }

    /** Opens a typed streaming job; {@link #header} decodes what the worker accepted it with. */
    default <A> Future<JobStream> open(JobType<A, ?> type, A args) {
        if (!type.streaming()) {
            throw new IllegalArgumentException(type.name() + " is a plain job: call it");
        }
        return openStream(Job.of(type, args));
    }

    /** The header of a typed stream, as the type's record. */
    static <H> H header(JobType<?, H> type, JobStream stream) {
        return decodeReply(type, stream.header());
    }

    /** A reply that does not decode is the worker's fault, never the client's: INTERNAL. */
    private static <R> R decodeReply(JobType<?, R> type, io.vertx.core.json.JsonObject reply) {
        try {
            return JobCodec.decode(reply, type.replyType());
        } catch (EngineException e) {
            throw new EngineException(ErrorKind.INTERNAL, "the reply to " + type.name() + " does not decode: " + e.getMessage());
        }
    }

    /**
     * Takes the jobs of one worker kind on the local node, on the calling verticle's context.
     * The returned future completes once jobs can arrive.
     */
    Future<Registration> serve(WorkerKind kind, JobRoutes routes);

    void publish(EngineEvent event);

    Registration subscribe(Handler<EngineEvent> handler);

    List<JobRecord> recentJobs();

    /** Undoes a {@link #serve} or {@link #subscribe}. */
    interface Registration {
        Future<Void> unregister();
    }
}
