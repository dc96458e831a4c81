package dev.berth.bus;

import dev.berth.bus.stream.JobStream;
import io.vertx.core.Future;
import io.vertx.core.Handler;
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
 * <p>Jobs without a node run on the local node. Every job is logged with its id, type, node,
 * outcome and duration, and the last ones are kept for {@link #recentJobs()}.
 */
public interface JobBus {
    String localNode();

    Future<io.vertx.core.json.JsonObject> request(Job job);

    Future<JobStream> openStream(Job job);

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
