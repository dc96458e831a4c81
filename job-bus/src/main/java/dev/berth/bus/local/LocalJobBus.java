package dev.berth.bus.local;

import dev.berth.bus.EngineEvent;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.IdempotencyCache;
import dev.berth.bus.Job;
import dev.berth.bus.JobAddresses;
import dev.berth.bus.JobAddressing;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobRecord;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.JobType;
import dev.berth.bus.JobTypes;
import dev.berth.bus.WorkerKind;
import dev.berth.bus.stream.FrameLink;
import dev.berth.bus.stream.FramedJobStream;
import dev.berth.bus.stream.JobStream;
import dev.berth.bus.stream.StreamSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job bus inside one JVM: Vert.x's event bus, with one address per worker of this node. Jobs
 * and their replies are event-bus requests; each side of a stream has an inbox address that takes
 * the encoded {@link dev.berth.bus.stream.StreamFrame}s its peer sends.
 */
public final class LocalJobBus implements JobBus {
    private static final Logger LOG = LoggerFactory.getLogger("berth.jobs");
    private static final String STREAM_HEADER = "berth-stream";
    private static final int RECENT = 256;

    private final Vertx vertx;
    private final EventBus eventBus;
    private final String node;
    private final StreamSettings streamSettings;
    private final ArrayDeque<JobRecord> recent = new ArrayDeque<>();
    private final java.util.List<java.util.function.Consumer<JobRecord>> observers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<JobRoutes> served = new CopyOnWriteArrayList<>();
    private final IdempotencyCache<JsonObject> outcomes = new IdempotencyCache<>(reply -> reply.toBuffer().length());

    public LocalJobBus(Vertx vertx, String node) {
        this(vertx, node, StreamSettings.DEFAULTS);
    }

    public LocalJobBus(Vertx vertx, String node, StreamSettings streamSettings) {
        this.vertx = vertx;
        this.eventBus = vertx.eventBus();
        this.node = node;
        this.streamSettings = streamSettings;
    }

    @Override
    public String localNode() {
        return node;
    }

    /** The typed kind of a job name, as the routes this bus serves declare it; null if none does. */
    private JobType<?, ?> knownType(String name) {
        for (JobRoutes routes : served) {
            JobType<?, ?> type = routes.type(name);
            if (type != null) {
                return type;
            }
        }
        return null;
    }

    /** The worker that takes a job: as its type declares, else by its name's prefix; NOT_IMPLEMENTED if none. */
    private WorkerKind workerOf(Job job) {
        JobType<?, ?> type = knownType(job.type());
        try {
            return type != null ? type.worker() : JobTypes.workerFor(job.type());
        } catch (IllegalArgumentException e) {
            throw new EngineException(ErrorKind.NOT_IMPLEMENTED, e.getMessage());
        }
    }

    private String addressOf(Job job) {
        return JobAddresses.worker(job.node() != null ? job.node() : node, workerOf(job));
    }

    /** The job as it travels, and the time left to its deadline; fails when none is left. */
    private Job prepare(Job job) {
        long now = System.currentTimeMillis();
        Job resolved = JobAddressing.resolve(job, node, this::knownType, now);
        if (resolved.expiredAt(now)) {
            throw resolved.deadlineExceeded();
        }
        return resolved;
    }

    private static DeliveryOptions deliveryFor(Job job) {
        long remaining = Math.max(1, job.deadlineMillis() - System.currentTimeMillis());
        return new DeliveryOptions().setSendTimeout(remaining).addHeader("type", job.type());
    }

    @Override
    public Future<JsonObject> request(Job job) {
        long started = System.nanoTime();
        Job sent;
        String address;
        try {
            sent = prepare(job);
            address = addressOf(sent);
        } catch (RuntimeException e) {
            record(job, started, e);
            return Future.failedFuture(EngineException.from(e));
        }
        return eventBus.<JsonObject>request(address, sent.toJson(), deliveryFor(sent))
                .map(Message::body)
                .recover(failure -> Future.failedFuture(toEngineException(sent, failure)))
                .andThen(ar -> record(sent, started, ar.failed() ? ar.cause() : null));
    }

    @Override
    public Future<JobStream> openStream(Job job) {
        long started = System.nanoTime();
        Job sent;
        String address;
        try {
            sent = prepare(job);
            address = addressOf(sent);
        } catch (RuntimeException e) {
            record(job, started, e);
            return Future.failedFuture(EngineException.from(e));
        }
        Context current = Vertx.currentContext();
        Context context = current != null ? current : vertx.getOrCreateContext();
        String streamId = UUID.randomUUID().toString();
        Promise<JobStream> promise = Promise.promise();
        context.runOnContext(v -> {
            FramedJobStream stream = new FramedJobStream(streamId, context, streamSettings,
                    sent.type() + " " + streamId + " (caller side, node " + node + ")");
            stream.connect(new EventBusFrameLink(eventBus, JobAddresses.streamInbox(streamId, 'c'),
                    JobAddresses.streamInbox(streamId, 'w'), stream));
            DeliveryOptions options = deliveryFor(sent).addHeader(STREAM_HEADER, streamId);
            eventBus.<JsonObject>request(address, sent.toJson(), options).onComplete(ar -> {
                if (ar.succeeded()) {
                    record(sent, started, null);
                    stream.header(ar.result().body());
                    stream.startHeartbeat();
                    promise.complete(stream);
                } else {
                    // Recorded as the worker's kind of failure; the raw ReplyException would read INTERNAL.
                    EngineException error = toEngineException(sent, ar.cause());
                    record(sent, started, error);
                    if (error.kind() == ErrorKind.DEADLINE_EXCEEDED) {
                        // The worker may still accept it: tell its side to give up.
                        stream.cancel();
                    }
                    stream.close();
                    promise.fail(error);
                }
            });
        });
        return promise.future();
    }

    private EngineException toEngineException(Job job, Throwable failure) {
        if (failure instanceof ReplyException reply) {
            if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
                return new EngineException(ErrorKind.UNAVAILABLE,
                        "no " + workerOf(job).addressPart() + " worker is serving node " + (job.node() != null ? job.node() : node));
            }
            if (reply.failureType() == ReplyFailure.TIMEOUT) {
                return job.deadlineExceeded();
            }
            return new EngineException(ErrorKind.ofCode(reply.failureCode()), reply.getMessage());
        }
        return EngineException.from(failure);
    }

    @Override
    public Future<Registration> serve(WorkerKind kind, JobRoutes routes) {
        String address = JobAddresses.worker(node, kind);
        served.add(routes);
        MessageConsumer<JsonObject> consumer = eventBus.consumer(address, message -> dispatch(routes, message));
        Registration registration = () -> {
            served.remove(routes);
            return consumer.unregister();
        };
        return consumer.completion().map(v -> registration);
    }

    private void dispatch(JobRoutes routes, Message<JsonObject> message) {
        Job job = null;
        try {
            job = Job.fromJson(message.body());
            if (job.expiredAt(System.currentTimeMillis())) {
                fail(message, job, job.deadlineExceeded());
                return;
            }
            String key = job.type() + "\n" + job.idempotencyKey();
            String streamId = message.headers().get(STREAM_HEADER);
            if (streamId == null) {
                serveRequest(routes, message, job, key);
            } else {
                serveStream(routes, message, job, key, streamId);
            }
        } catch (RuntimeException e) {
            fail(message, job, e);
        }
    }

    private void serveRequest(JobRoutes routes, Message<JsonObject> message, Job job, String key) {
        JobRoutes.RequestHandler handler = routes.requestHandler(job.type());
        if (handler == null) {
            reject(message, job);
            return;
        }
        outcomes.once(key, () -> handler.handle(job)).onComplete(ar -> {
            if (ar.succeeded()) {
                message.reply(ar.result() == null ? new JsonObject() : ar.result());
            } else {
                fail(message, job, ar.cause());
            }
        });
    }

    private void serveStream(JobRoutes routes, Message<JsonObject> message, Job job, String key, String streamId) {
        JobRoutes.StreamHandler handler = routes.streamHandler(job.type());
        if (handler == null) {
            reject(message, job);
            return;
        }
        if (!outcomes.claim(key)) {
            fail(message, job, EngineException.conflict("stream job " + job.type() + " with idempotency key "
                    + job.idempotencyKey() + " was already opened"));
            return;
        }
        Context context = vertx.getOrCreateContext();
        FramedJobStream stream = new FramedJobStream(streamId, context, streamSettings,
                job.type() + " " + streamId + " (worker side, node " + node + ")");
        stream.connect(new EventBusFrameLink(eventBus, JobAddresses.streamInbox(streamId, 'w'),
                JobAddresses.streamInbox(streamId, 'c'), stream));
        Future<JsonObject> accepted;
        try {
            accepted = handler.handle(job, stream);
        } catch (RuntimeException e) {
            accepted = Future.failedFuture(e);
        }
        Job taken = job;
        accepted.onComplete(ar -> {
            if (ar.succeeded()) {
                message.reply(ar.result() == null ? new JsonObject() : ar.result());
                context.runOnContext(v -> stream.startHeartbeat());
            } else {
                context.runOnContext(v -> stream.close());
                fail(message, taken, ar.cause());
            }
        });
    }

    private static void reject(Message<JsonObject> message, Job job) {
        message.fail(ErrorKind.NOT_IMPLEMENTED.code(), "this node does not take jobs of type " + job.type());
    }

    private static void fail(Message<JsonObject> message, Job job, Throwable cause) {
        EngineException error = EngineException.from(cause);
        if (error.kind() == ErrorKind.INTERNAL) {
            LOG.warn("job {} {} failed", job != null ? job.id() : "?", job != null ? job.type() : "?",
                    error.getCause() != null ? error.getCause() : error);
        }
        message.fail(error.kind().code(), error.getMessage());
    }

    private void record(Job job, long startedNanos, Throwable failure) {
        long micros = (System.nanoTime() - startedNanos) / 1000;
        String outcome = failure == null ? "ok" : EngineException.from(failure).kind().name();
        String target = job.node() != null ? job.node() : node;
        // A job that succeeded is logged at debug (-D), as dockerd logs its API calls: this runs on
        // the caller's event loop for every job, and a synchronous line on stderr cost each request
        // a formatted line and a write (one that blocks while journald is slow to read). Failures
        // stay at info; GET /berth/jobs and the metrics keep every job.
        if (failure != null) {
            LOG.info("job {} {} node={} {} {}us", job.id(), job.type(), target, outcome, micros);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("job {} {} node={} {} {}us", job.id(), job.type(), target, outcome, micros);
        }
        JobRecord entry = new JobRecord(job.id(), job.type(), target,
                System.currentTimeMillis() - micros / 1000, micros, outcome);
        synchronized (recent) {
            if (recent.size() == RECENT) {
                recent.removeFirst();
            }
            recent.addLast(entry);
        }
        observers.forEach(observer -> observer.accept(entry));
    }

    /** Tells {@code observer} of every job this bus records, as it records it (metrics count them). */
    public void onJobRecorded(java.util.function.Consumer<JobRecord> observer) {
        observers.add(observer);
    }

    @Override
    public List<JobRecord> recentJobs() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    @Override
    public void publish(EngineEvent event) {
        eventBus.publish(JobAddresses.EVENTS, event.onNode(node).toJson());
    }

    @Override
    public Registration subscribe(Handler<EngineEvent> handler) {
        MessageConsumer<JsonObject> consumer = eventBus.consumer(JobAddresses.EVENTS,
                message -> handler.handle(EngineEvent.fromJson(message.body())));
        return consumer::unregister;
    }

    /** One side's inbox on the event bus, and the address of its peer's; registered on the stream's context. */
    private static final class EventBusFrameLink implements FrameLink {
        private final EventBus eventBus;
        private final String peer;
        private final MessageConsumer<Buffer> consumer;

        EventBusFrameLink(EventBus eventBus, String inbox, String peer, FramedJobStream stream) {
            this.eventBus = eventBus;
            this.peer = peer;
            this.consumer = eventBus.consumer(inbox, message -> stream.receive(message.body()));
        }

        @Override
        public void send(Buffer frame) {
            eventBus.send(peer, frame);
        }

        @Override
        public void close() {
            consumer.unregister();
        }
    }
}
