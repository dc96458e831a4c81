package dev.berth.bus;

import java.time.Duration;
import java.util.Objects;

/**
 * One kind of job, as the compiler sees it: its name on the wire, the worker that takes it, the
 * record of its arguments and of its reply (for a streaming job: of the header that accepts it),
 * how long a caller waits by default, and whether it may only run on the node holding a host
 * path. Each noun's types live beside its records ({@code dev.berth.bus.contract.*}).
 *
 * <p>A reply type of {@link Void} means the job answers nothing but success.
 */
public record JobType<A, R>(String name, WorkerKind worker, Class<A> argsType, Class<R> replyType,
        Duration deadline, Locality locality, boolean streaming) {
    /**
     * What a caller waits for a plain job (or for a streaming job to be accepted) when its type
     * names no deadline of its own, and for a job sent by a name the bus does not know.
     */
    public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(2);

    public JobType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(argsType, "argsType");
        Objects.requireNonNull(replyType, "replyType");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(locality, "locality");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("a job type needs a positive deadline: " + name);
        }
    }

    /** A plain job on any node with the default deadline. */
    public static <A, R> JobType<A, R> request(String name, WorkerKind worker, Class<A> args, Class<R> reply) {
        return new JobType<>(name, worker, args, reply, DEFAULT_DEADLINE, Locality.ANY_NODE, false);
    }

    /**
     * A streaming job; the deadline bounds how long the worker may take to accept it, not the
     * stream's life (a followed log or a wait may last for days).
     */
    public static <A, H> JobType<A, H> stream(String name, WorkerKind worker, Class<A> args, Class<H> header) {
        return new JobType<>(name, worker, args, header, DEFAULT_DEADLINE, Locality.ANY_NODE, true);
    }

    public JobType<A, R> withDeadline(Duration value) {
        return new JobType<>(name, worker, argsType, replyType, value, locality, streaming);
    }

    public JobType<A, R> nodeLocal() {
        return new JobType<>(name, worker, argsType, replyType, deadline, Locality.NODE_LOCAL, streaming);
    }

    @Override
    public String toString() {
        return name;
    }
}
