package dev.berth.bus.stream;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import dev.berth.bus.stream.StreamFrame.Kind;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One side of a {@link JobStream}, made of {@link StreamFrame}s that any transport can carry
 * through a {@link FrameLink}.
 *
 * <p>Flow control is by credit: a writer starts with a window of chunks and gets more as the
 * reader's handler takes them. Past the window, writes wait in a queue that {@link #writeQueueFull}
 * reports; a writer that keeps writing past the hard cap fails the stream instead of growing the
 * queue. A peer that sends past the credit it was given fails the stream too.
 *
 * <p>Once started ({@link #startHeartbeat}), each side sends a PING at its tick when it sent
 * nothing for half an interval, and takes its peer for gone when no frame came for
 * {@link StreamSettings#silenceLimit} while it still expects one ({@link StreamLiveness}). The stream then fails on this side (the exception handler
 * gets an UNAVAILABLE error, the cancel handler runs) and a CANCEL with the error goes to the peer,
 * in case only the path to it was broken.
 */
public final class FramedJobStream implements JobStream {
    private static final Logger LOG = LoggerFactory.getLogger(FramedJobStream.class);
    private static final Object END_MARK = new Object();

    private final String streamId;
    private final Context context;
    private final StreamSettings settings;
    private final String label;
    private FrameLink link;
    private volatile JsonObject header = new JsonObject();

    // Outgoing direction; guarded by this, because writers may be on any thread.
    private long nextSequence;
    private int credits;
    private final ArrayDeque<Buffer> pendingOut = new ArrayDeque<>();
    private EngineException pendingEnd;
    private boolean pendingEndIsFailure;
    private boolean outEnded;
    private boolean outDone;
    private int maxQueue;
    /** When to ping and when the peer is gone; guarded by this. */
    private StreamLiveness liveness;
    private Handler<Void> drainHandler;
    private volatile boolean cancelled;
    private EngineException broken;

    // Incoming direction; touched on the context only.
    private final ArrayDeque<Object> inbound = new ArrayDeque<>();
    private long expectedSequence;
    private int peerCredits;
    private long demand = Long.MAX_VALUE;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private Handler<Void> cancelHandler;
    /** Whether this side ever asked to read; a side that only writes closes once its direction is flushed. */
    private volatile boolean reading;
    private int takenSinceCredit;
    private boolean inDone;
    private boolean peerEndArrived;
    /** The peer cancelled after its direction ended; the cancel handler runs once the reader has it all. */
    private boolean cancelAfterEnd;
    /** The end or failure that arrived before anyone asked for it; handed over when they do. */
    private Object undeliveredEnd;
    private volatile boolean closed;
    private long heartbeat = -1;

    /**
     * @param label what the stream is, for error messages ("logs.read on node n1")
     */
    public FramedJobStream(String streamId, Context context, StreamSettings settings, String label) {
        this.streamId = streamId;
        this.context = context;
        this.settings = settings;
        this.label = label;
        this.credits = settings.window();
        this.peerCredits = settings.window();
        this.maxQueue = settings.window();
        this.liveness = new StreamLiveness(settings, System.nanoTime());
    }

    /** Gives the stream its way to the peer; before anything is written. */
    public void connect(FrameLink frameLink) {
        this.link = frameLink;
    }

    public String streamId() {
        return streamId;
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

    // ---- sending ----------------------------------------------------------------------------

    /** Sends a frame numbered next; must hold this. */
    private void sendLocked(Kind kind, Buffer data, int credit, EngineException error) {
        long sequence = nextSequence++;
        StreamFrame frame = switch (kind) {
            case DATA -> StreamFrame.data(streamId, sequence, data);
            case CREDIT -> StreamFrame.credit(streamId, sequence, credit);
            case END -> StreamFrame.end(streamId, sequence);
            case FAIL -> StreamFrame.fail(streamId, sequence, error);
            case CANCEL -> StreamFrame.cancel(streamId, sequence, error);
            case PING -> StreamFrame.ping(streamId, sequence);
        };
        liveness.sent(System.nanoTime());
        link.send(StreamFrameCodec.encode(frame));
    }

    private synchronized void send(Kind kind, int credit) {
        sendLocked(kind, null, credit, null);
    }

    // ---- receiving: on the context ---------------------------------------------------------

    /** Takes one frame from the transport; must run on the context. */
    public void receive(Buffer bytes) {
        if (closed) {
            return;
        }
        StreamFrame frame;
        try {
            frame = StreamFrameCodec.decode(bytes);
        } catch (IllegalArgumentException e) {
            breakStream(new EngineException(ErrorKind.INTERNAL, "stream of " + label + " got a malformed frame: " + e.getMessage()), true);
            return;
        }
        if (!frame.streamId().equals(streamId) || frame.sequence() != expectedSequence) {
            breakStream(new EngineException(ErrorKind.INTERNAL, "stream of " + label + " expected frame " + expectedSequence
                    + " of stream " + streamId + " and got frame " + frame.sequence() + " of stream " + frame.streamId()
                    + ": frames were lost"), true);
            return;
        }
        expectedSequence++;
        synchronized (this) {
            liveness.heard(System.nanoTime());
        }
        switch (frame.kind()) {
            case DATA -> {
                if (peerEndArrived) {
                    return;
                }
                if (--peerCredits < 0) {
                    breakStream(new EngineException(ErrorKind.INTERNAL, "the peer of stream " + label
                            + " sent more than the " + settings.window() + " chunks it had credit for"), true);
                    return;
                }
                inbound.add(frame.data());
                deliver();
            }
            case CREDIT -> credit(frame.credit());
            case END -> {
                peerEndArrived = true;
                inbound.add(END_MARK);
                deliver();
            }
            case FAIL -> {
                peerEndArrived = true;
                inbound.add(frame.error());
                deliver();
            }
            case CANCEL -> {
                if (frame.error() != null) {
                    breakStream(frame.error(), false);
                } else {
                    peerCancelled();
                }
            }
            case PING -> {
            }
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
                if (++takenSinceCredit >= settings.window() / 2 && !peerEndArrived) {
                    peerCredits += takenSinceCredit;
                    send(Kind.CREDIT, takenSinceCredit);
                    takenSinceCredit = 0;
                }
            } else {
                inbound.poll();
                inDone = true;
                undeliveredEnd = item;
                deliverEnd();
                if (cancelAfterEnd) {
                    notifyCancel();
                }
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
                sendLocked(Kind.DATA, pendingOut.poll(), 0, null);
            }
            flushEndLocked();
            if (wasFull && pendingOut.size() < maxQueue) {
                drained = drainHandler;
            }
        }
        if (drained != null) {
            drained.handle(null);
        }
        closeIfDone();
    }

    private void flushEndLocked() {
        if (pendingOut.isEmpty() && outEnded && !outDone) {
            sendLocked(pendingEndIsFailure ? Kind.FAIL : Kind.END, null, 0, pendingEnd);
            pendingEnd = null;
            outDone = true;
            context.runOnContext(v -> closeIfWriteOnly());
        }
    }

    /**
     * A side that only writes (a log follower) has nothing left once its direction is flushed,
     * even if its peer never ends the other direction: it closes and says so with a CANCEL, which
     * leaves the peer everything that already arrived. When the peer has ended its direction
     * already (an attach without stdin, a wait), the peer closes once it has this side's end, and
     * a CANCEL would only reach a closed inbox.
     */
    private void closeIfWriteOnly() {
        if (reading || closed) {
            return;
        }
        if (!peerEndArrived) {
            synchronized (this) {
                cancelled = true;
                sendLocked(Kind.CANCEL, null, 0, null);
            }
        }
        close();
    }

    private void peerCancelled() {
        synchronized (this) {
            cancelled = true;
            pendingOut.clear();
            pendingEnd = null;
            outDone = true;
        }
        wakeWriters();
        if (peerEndArrived && !inDone) {
            // The peer ended its direction before it left: the reader gets all of it first.
            cancelAfterEnd = true;
            return;
        }
        if (!peerEndArrived) {
            // The peer's direction is abandoned half way: what came of it is dropped.
            inbound.clear();
            inDone = true;
        }
        notifyCancel();
        close();
    }

    private void notifyCancel() {
        Handler<Void> onCancel;
        synchronized (this) {
            onCancel = cancelHandler;
        }
        if (onCancel != null) {
            onCancel.handle(null);
        }
    }

    /**
     * Fails both directions here, and tells the peer when it may still listen: the peer went
     * silent, broke the protocol, or our writer ignored back-pressure. Runs on the context.
     */
    private void breakStream(EngineException error, boolean tellPeer) {
        Handler<Void> onCancel;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (broken == null) {
                broken = error;
            }
            // A broken stream loses what was in flight: never silently.
            LOG.warn("stream {} broke: {}", label, error.getMessage());
            cancelled = true;
            pendingOut.clear();
            pendingEnd = null;
            if (tellPeer) {
                sendLocked(Kind.CANCEL, null, 0, error);
            }
            onCancel = cancelHandler;
        }
        inbound.clear();
        if (!inDone) {
            inDone = true;
            undeliveredEnd = error;
            deliverEnd();
        }
        wakeWriters();
        if (onCancel != null) {
            onCancel.handle(null);
        }
        close();
    }

    private void wakeWriters() {
        Handler<Void> drained;
        synchronized (this) {
            drained = drainHandler;
        }
        if (drained != null) {
            drained.handle(null);
        }
    }

    // ---- liveness ------------------------------------------------------------------------

    /**
     * Starts pinging the peer and watching for its frames; once the job is accepted. Must run on
     * the context.
     */
    public void startHeartbeat() {
        if (closed || heartbeat >= 0) {
            return;
        }
        synchronized (this) {
            liveness = new StreamLiveness(settings, System.nanoTime());
        }
        heartbeat = context.owner().setPeriodic(settings.pingInterval().toMillis(), id -> tick());
    }

    private void tick() {
        if (closed) {
            return;
        }
        StreamLiveness.Verdict verdict;
        synchronized (this) {
            // Once the peer's direction has ended and ours is flushed, neither side waits for the
            // other: no more pings, no more watching.
            boolean expectingPeer = !peerEndArrived || !outDone;
            verdict = liveness.tick(System.nanoTime(), expectingPeer);
            if (verdict == StreamLiveness.Verdict.PING) {
                sendLocked(Kind.PING, null, 0, null);
            }
        }
        if (verdict == StreamLiveness.Verdict.PEER_GONE) {
            breakStream(new EngineException(ErrorKind.UNAVAILABLE, "the peer of stream " + label + " sent nothing for "
                    + settings.silenceLimit().toMillis() + " ms, not even a ping: it is gone"), true);
        }
    }

    // ---- writing ---------------------------------------------------------------------------

    @Override
    public Future<Void> write(Buffer data) {
        EngineException refused;
        synchronized (this) {
            if (broken != null) {
                return Future.failedFuture(broken);
            }
            if (cancelled || outEnded) {
                return Future.succeededFuture();
            }
            if (data.length() > StreamFrame.MAX_DATA) {
                refused = new EngineException(ErrorKind.INTERNAL, "a chunk of " + data.length() + " bytes was written to stream "
                        + label + ", which carries at most " + StreamFrame.MAX_DATA + " bytes a chunk");
            } else if (credits > 0 && pendingOut.isEmpty()) {
                credits--;
                sendLocked(Kind.DATA, data, 0, null);
                return Future.succeededFuture();
            } else if (pendingOut.size() < settings.hardCap()) {
                pendingOut.add(data);
                return Future.succeededFuture();
            } else {
                refused = new EngineException(ErrorKind.INTERNAL, "the writer of stream " + label + " ignored back-pressure: "
                        + settings.hardCap() + " chunks already waited for the reader");
            }
            // Refuse later writes at once, before the context gets round to breaking the stream.
            broken = refused;
            cancelled = true;
            pendingOut.clear();
        }
        context.runOnContext(v -> breakStream(refused, true));
        return Future.failedFuture(refused);
    }

    @Override
    public Future<Void> end() {
        return endWith(null);
    }

    @Override
    public Future<Void> fail(EngineException error) {
        return endWith(error);
    }

    private Future<Void> endWith(EngineException error) {
        synchronized (this) {
            if (broken != null) {
                return Future.failedFuture(broken);
            }
            if (cancelled || outEnded) {
                return Future.succeededFuture();
            }
            outEnded = true;
            pendingEnd = error;
            pendingEndIsFailure = error != null;
            flushEndLocked();
        }
        context.runOnContext(v -> closeIfDone());
        return Future.succeededFuture();
    }

    @Override
    public void cancel() {
        synchronized (this) {
            if (cancelled || closed) {
                return;
            }
            cancelled = true;
            pendingOut.clear();
            pendingEnd = null;
            sendLocked(Kind.CANCEL, null, 0, null);
        }
        context.runOnContext(v -> close());
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

    /** Stops receiving and pinging; must run on the context. */
    public void close() {
        if (!closed) {
            closed = true;
            if (heartbeat >= 0) {
                context.owner().cancelTimer(heartbeat);
            }
            if (link != null) {
                link.close();
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

    /** At most the hard cap: a writer that honours {@link #writeQueueFull} never reaches it. */
    @Override
    public synchronized JobStream setWriteQueueMaxSize(int maxSize) {
        this.maxQueue = Math.max(1, Math.min(maxSize, settings.hardCap()));
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
            reading = true;
            context.runOnContext(v -> deliverEnd());
        }
        return this;
    }

    @Override
    public JobStream handler(Handler<Buffer> handler) {
        this.handler = handler;
        if (handler != null) {
            reading = true;
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
            reading = true;
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
