package dev.berth.bus.local;

import dev.berth.bus.EngineEvent;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.Job;
import dev.berth.bus.JobAddresses;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobRecord;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.WorkerKind;
import dev.berth.bus.stream.EventBusJobStream;
import dev.berth.bus.stream.JobStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The job bus inside one JVM: Vert.x's event bus, with one address per worker of this node. */
public final class LocalJobBus implements JobBus {
    private static final Logger LOG = LoggerFactory.getLogger("berth.jobs");
    private static final String STREAM_HEADER = "berth-stream";
    /** Jobs without a deadline may legitimately wait for hours (container.wait). */
    private static final long NO_DEADLINE_TIMEOUT = TimeUnit.DAYS.toMillis(365);
    private static final int RECENT = 256;

    private final Vertx vertx;
    private final EventBus eventBus;
    private final String node;
    private final ArrayDeque<JobRecord> recent = new ArrayDeque<>();

    public LocalJobBus(Vertx vertx, String node) {
        this.vertx = vertx;
        this.eventBus = vertx.eventBus();
        this.node = node;
    }

    @Override
    public String localNode() {
        return node;
    }

    private String addressOf(Job job) {
        return JobAddresses.worker(job.node() != null ? job.node() : node, job.worker());
    }

    private static DeliveryOptions deliveryFor(Job job) {
        long timeout = job.deadlineMillis() > 0
                ? Math.max(1, job.deadlineMillis() - System.currentTimeMillis())
                : NO_DEADLINE_TIMEOUT;
        return new DeliveryOptions().setSendTimeout(timeout).addHeader("type", job.type());
    }

    @Override
    public Future<JsonObject> request(Job job) {
        long started = System.nanoTime();
        return eventBus.<JsonObject>request(addressOf(job), job.toJson(), deliveryFor(job))
                .map(Message::body)
                .recover(failure -> Future.failedFuture(toEngineException(job, failure)))
                .andThen(ar -> record(job, started, ar.failed() ? ar.cause() : null));
    }

    @Override
    public Future<JobStream> openStream(Job job) {
        long started = System.nanoTime();
        Context current = Vertx.currentContext();
        Context context = current != null ? current : vertx.getOrCreateContext();
        String streamId = UUID.randomUUID().toString();
        Promise<JobStream> promise = Promise.promise();
        context.runOnContext(v -> {
            EventBusJobStream stream = new EventBusJobStream(eventBus, context,
                    JobAddresses.streamInbox(streamId, 'c'), JobAddresses.streamInbox(streamId, 'w'));
            stream.register();
            DeliveryOptions options = deliveryFor(job).addHeader(STREAM_HEADER, streamId);
            eventBus.<JsonObject>request(addressOf(job), job.toJson(), options).onComplete(ar -> {
                record(job, started, ar.failed() ? ar.cause() : null);
                if (ar.succeeded()) {
                    stream.header(ar.result().body());
                    promise.complete(stream);
                } else {
                    stream.close();
                    promise.fail(toEngineException(job, ar.cause()));
                }
            });
        });
        return promise.future();
    }

    private EngineException toEngineException(Job job, Throwable failure) {
        if (failure instanceof ReplyException) {
            ReplyException reply = (ReplyException) failure;
            if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
                return new EngineException(ErrorKind.UNAVAILABLE,
                        "no " + job.worker().addressPart() + " worker is serving node " + (job.node() != null ? job.node() : node));
            }
            if (reply.failureType() == ReplyFailure.TIMEOUT) {
                return new EngineException(ErrorKind.UNAVAILABLE, "job " + job.type() + " timed out");
            }
            return new EngineException(ErrorKind.ofCode(reply.failureCode()), reply.getMessage());
        }
        return EngineException.from(failure);
    }

    @Override
    public Future<Registration> serve(WorkerKind kind, JobRoutes routes) {
        String address = JobAddresses.worker(node, kind);
        MessageConsumer<JsonObject> consumer = eventBus.consumer(address, message -> dispatch(routes, message));
        Registration registration = consumer::unregister;
        return consumer.completion().map(v -> registration);
    }

    private void dispatch(JobRoutes routes, Message<JsonObject> message) {
        Job job = Job.fromJson(message.body());
        String streamId = message.headers().get(STREAM_HEADER);
        try {
            if (streamId == null) {
                JobRoutes.RequestHandler handler = routes.requestHandler(job.type());
                if (handler == null) {
                    reject(message, job);
                    return;
                }
                handler.handle(job).onComplete(ar -> {
                    if (ar.succeeded()) {
                        message.reply(ar.result() == null ? new JsonObject() : ar.result());
                    } else {
                        fail(message, job, ar.cause());
                    }
                });
            } else {
                JobRoutes.StreamHandler handler = routes.streamHandler(job.type());
                if (handler == null) {
                    reject(message, job);
                    return;
                }
                Context context = vertx.getOrCreateContext();
                EventBusJobStream stream = new EventBusJobStream(eventBus, context,
                        JobAddresses.streamInbox(streamId, 'w'), JobAddresses.streamInbox(streamId, 'c'));
                stream.register();
                handler.handle(job, stream).onComplete(ar -> {
                    if (ar.succeeded()) {
                        message.reply(ar.result() == null ? new JsonObject() : ar.result());
                    } else {
                        stream.close();
                        fail(message, job, ar.cause());
                    }
                });
            }
        } catch (RuntimeException e) {
            fail(message, job, e);
        }
    }

    private static void reject(Message<JsonObject> message, Job job) {
        message.fail(ErrorKind.NOT_IMPLEMENTED.httpStatus(), "this node does not take jobs of type " + job.type());
    }

    private static void fail(Message<JsonObject> message, Job job, Throwable cause) {
        EngineException error = EngineException.from(cause);
        if (error.kind() == ErrorKind.INTERNAL) {
            LOG.warn("job {} {} failed", job.id(), job.type(), error.getCause() != null ? error.getCause() : error);
        }
        message.fail(error.kind().httpStatus(), error.getMessage());
    }

    private void record(Job job, long startedNanos, Throwable failure) {
        long micros = (System.nanoTime() - startedNanos) / 1000;
        String outcome = failure == null ? "ok" : EngineException.from(failure).kind().name();
        String target = job.node() != null ? job.node() : node;
        LOG.info("job {} {} node={} {} {}us", job.id(), job.type(), target, outcome, micros);
        JobRecord entry = new JobRecord(job.id(), job.type(), target,
                System.currentTimeMillis() - micros / 1000, micros, outcome);
        synchronized (recent) {
            if (recent.size() == RECENT) {
                recent.removeFirst();
            }
            recent.addLast(entry);
        }
    }

    @Override
    public List<JobRecord> recentJobs() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    @Override
    public void publish(EngineEvent event) {
        eventBus.publish(JobAddresses.EVENTS, event.toJson());
    }

    @Override
    public Registration subscribe(Handler<EngineEvent> handler) {
        MessageConsumer<JsonObject> consumer = eventBus.consumer(JobAddresses.EVENTS,
                message -> handler.handle(EngineEvent.fromJson(message.body())));
        return consumer::unregister;
    }
}
