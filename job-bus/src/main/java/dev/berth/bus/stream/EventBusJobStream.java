package dev.berth.bus.stream;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;

/**
 * A {@link JobStream} carried by Vert.x event-bus messages between two inboxes. Data messages are
 * buffers; control messages (credit, end, fail, cancel) carry a header and no data.
 */
public final class EventBusJobStream implements JobStream {
    /** Chunks a writer may have unacknowledged; the reader returns credit every half window. */
    public static final int WINDOW = 16;
    static final String CONTROL = "berth-ctl";
    private static final String CREDIT = "credit";
    private static final String END = "end";
    private static final String FAIL = "fail";
    private static final String CANCEL = "cancel";
    private static final Object END_MARK = new Object();

    private final EventBus eventBus;
    private final Context context;
    private final String inbox;
    private final String peer;
    private MessageConsumer<Object> consumer;
    private volatile JsonObject header = new JsonObject();

    // Outgoing direction; guarded by this, because writers may be on any thread.
    private int credits = WINDOW;
    private final ArrayDeque<Buffer> pendingOut = new ArrayDeque<>();
    private DeliveryOptions pendingEnd;
    private boolean outEnded;
    private boolean outDone;
    private int maxQueue = WINDOW;
    private Handler<Void> drainHandler;
    private volatile boolean cancelled;

    // Incoming direction; touched on the context only.
    private final ArrayDeque<Object> inbound = new ArrayDeque<>();
    private long demand = Long.MAX_VALUE;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private Handler<Void> cancelHandler;
    private int takenSinceCredit;
    private boolean inDone;
    /** The end or failure that arrived before anyone asked for it; handed over when they do. */
    private Object undeliveredEnd;
    private boolean closed;

    public EventBusJobStream(EventBus eventBus, Context context, String inbox, String peer) {
        this.eventBus = eventBus;
        this.context = context;
        this.inbox = inbox;
        this.peer = peer;
    }

    /** Starts receiving; must run on the context. */
    public void register() {
        consumer = eventBus.consumer(inbox, this::receive);
    }

    public void header(JsonObject acceptHeader) {
        this.header = acceptHeader == null ? new JsonObject() : acceptHeader;
    }

    @Override
    public JsonObject header() {
        return header;
    }

    @Override
    public Context context() {
        return context;
    }

    private void receive(Message<Object> message) {
        String control = message.headers().get(CONTROL);
        if (control == null) {
            inbound.add((Buffer) message.body());
            deliver();
            return;
        }
        switch (control) {
            case CREDIT:
                credit(Integer.parseInt(message.headers().get("n")));
                break;
            case END:
                inbound.add(END_MARK);
                deliver();
                break;
            case FAIL:
                MultiMap h = message.headers();
                inbound.add(new EngineException(ErrorKind.valueOf(h.get("kind")), h.get("message")));
                deliver();
                break;
            case CANCEL:
                peerCancelled();
                break;
            default:
                break;
        }
    }

    private void deliver() {
        while (!inbound.isEmpty() && !closed) {
            Object item = inbound.peek();
            if (item instanceof Buffer) {
                if (demand == 0 || handler == null) {
                    return;
                }
                inbound.poll();
                if (demand != Long.MAX_VALUE) {
                    demand--;
                }
                handler.handle((Buffer) item);
                if (++takenSinceCredit >= WINDOW / 2) {
                    sendControl(CREDIT, new DeliveryOptions().addHeader("n", Integer.toString(takenSinceCredit)));
                    takenSinceCredit = 0;
                }
            } else {
                inbound.poll();
                inDone = true;
                undeliveredEnd = item;
                deliverEnd();
                closeIfDone();
                return;
            }
        }
    }

    private void deliverEnd() {
        Object item = undeliveredEnd;
        if (item == END_MARK && endHandler != null) {
            undeliveredEnd = null;
            endHandler.handle(null);
        } else if (item instanceof Throwable && exceptionHandler != null) {
            undeliveredEnd = null;
            exceptionHandler.handle((Throwable) item);
        }
    }

    private void credit(int amount) {
        Handler<Void> drained = null;
        synchronized (this) {
            boolean wasFull = pendingOut.size() >= maxQueue;
            credits += amount;
            while (credits > 0 && !pendingOut.isEmpty()) {
                credits--;
                eventBus.send(peer, pendingOut.poll());
            }
            if (pendingOut.isEmpty() && pendingEnd != null) {
                eventBus.send(peer, null, pendingEnd);
                pendingEnd = null;
                outDone = true;
            }
            if (wasFull && pendingOut.size() < maxQueue) {
                drained = drainHandler;
            }
        }
        if (drained != null) {
            drained.handle(null);
        }
        closeIfDone();
    }

    private void peerCancelled() {
        Handler<Void> onCancel;
        synchronized (this) {
            cancelled = true;
            pendingOut.clear();
            pendingEnd = null;
            onCancel = cancelHandler;
        }
        inbound.clear();
        Handler<Void> drained = drainHandler;
        if (drained != null) {
            drained.handle(null);
        }
        if (onCancel != null) {
            onCancel.handle(null);
        }
        close();
    }

    @Override
    public Future<Void> write(Buffer data) {
        synchronized (this) {
            if (cancelled || outEnded) {
                return Future.succeededFuture();
            }
            if (credits > 0 && pendingOut.isEmpty()) {
                credits--;
                eventBus.send(peer, data);
            } else {
                pendingOut.add(data);
            }
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
        return endWith(new DeliveryOptions().addHeader(CONTROL, END));
    }

    @Override
    public Future<Void> fail(EngineException error) {
        return endWith(new DeliveryOptions().addHeader(CONTROL, FAIL)
                .addHeader("kind", error.kind().name())
                .addHeader("message", String.valueOf(error.getMessage())));
    }

    private Future<Void> endWith(DeliveryOptions control) {
        synchronized (this) {
            if (cancelled || outEnded) {
                return Future.succeededFuture();
            }
            outEnded = true;
            if (pendingOut.isEmpty()) {
                eventBus.send(peer, null, control);
                outDone = true;
            } else {
                pendingEnd = control;
            }
        }
        context.runOnContext(v -> closeIfDone());
        return Future.succeededFuture();
    }

    @Override
    public void cancel() {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            pendingOut.clear();
            pendingEnd = null;
        }
        sendControl(CANCEL, new DeliveryOptions());
        context.runOnContext(v -> close());
    }

    private void sendControl(String kind, DeliveryOptions options) {
        eventBus.send(peer, null, options.addHeader(CONTROL, kind));
    }

    private void closeIfDone() {
        boolean done;
        synchronized (this) {
            done = outDone && inDone;
        }
        if (done) {
            close();
        }
    }

    /** Stops receiving; must run on the context. */
    public void close() {
        if (!closed) {
            closed = true;
            if (consumer != null) {
                consumer.unregister();
            }
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public synchronized boolean writeQueueFull() {
        return pendingOut.size() >= maxQueue;
    }

    @Override
    public synchronized JobStream setWriteQueueMaxSize(int maxSize) {
        this.maxQueue = Math.max(1, maxSize);
        return this;
    }

    @Override
    public synchronized JobStream drainHandler(Handler<Void> handler) {
        this.drainHandler = handler;
        return this;
    }

    @Override
    public JobStream exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        if (handler != null) {
            context.runOnContext(v -> deliverEnd());
        }
        return this;
    }

    @Override
    public JobStream handler(Handler<Buffer> handler) {
        this.handler = handler;
        if (handler != null) {
            context.runOnContext(v -> deliver());
        }
        return this;
    }

    @Override
    public JobStream pause() {
        demand = 0;
        return this;
    }

    @Override
    public JobStream resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public JobStream fetch(long amount) {
        if (amount > 0) {
            demand = amount == Long.MAX_VALUE || demand > Long.MAX_VALUE - amount ? Long.MAX_VALUE : demand + amount;
            context.runOnContext(v -> deliver());
        }
        return this;
    }

    @Override
    public JobStream endHandler(Handler<Void> endHandler) {
        this.endHandler = endHandler;
        if (endHandler != null) {
            context.runOnContext(v -> deliverEnd());
        }
        return this;
    }

    @Override
    public JobStream cancelHandler(Handler<Void> handler) {
        synchronized (this) {
            this.cancelHandler = handler;
        }
        return this;
    }
}
