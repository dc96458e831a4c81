package dev.berth.bus.stream;

/**
 * When one side of a stream pings its peer and when it takes the peer for gone, by the clock
 * rather than by counting its own timer's ticks. Not thread-safe: its stream guards it.
 *
 * <p>A side pings when it has sent nothing for half an interval at one of its ticks, so a live
 * peer is never silent for more than one and a half intervals (plus its scheduling delays). The
 * peer is gone after {@link StreamSettings#silenceLimit()} without a frame from it. A tick that
 * comes more than an interval late shows that this side itself was not listening (its event
 * loop or the whole process was held up): the frames the peer sent meanwhile may still wait in
 * its queue, so the silence starts again from then rather than counting against the peer.
 *
 * <p>This replaces a count of ticks without a frame, with a ping only after a whole tick without
 * sending. A peer that sent just after its own tick then sent nothing for two intervals, while
 * three of the other side's ticks could fall in just over two intervals: a live peer whose ping
 * was a little late was taken for gone, and its stream failed on both sides. An attach stream
 * that failed so ended the client's output without a word, which `docker run` reports as an
 * empty output and exit code 0.
 */
final class StreamLiveness {
    private final long intervalNanos;
    private final long silenceLimitNanos;
    private long lastSentNanos;
    private long lastHeardNanos;
    private long lastTickNanos;

    StreamLiveness(StreamSettings settings, long nowNanos) {
        this.intervalNanos = settings.pingInterval().toNanos();
        this.silenceLimitNanos = settings.silenceLimit().toNanos();
        this.lastSentNanos = nowNanos;
        this.lastHeardNanos = nowNanos;
        this.lastTickNanos = nowNanos;
    }

    /** This side sent a frame. */
    void sent(long nowNanos) {
        lastSentNanos = nowNanos;
    }

    /** A frame from the peer arrived. */
    void heard(long nowNanos) {
        lastHeardNanos = nowNanos;
    }

    /** What a tick decides. */
    enum Verdict {
        QUIET, PING, PEER_GONE
    }

    /**
     * One tick of this side's timer; {@code expectingPeer} says whether a frame from the peer is
     * still due (once both directions are done, nobody waits and nobody pings).
     */
    Verdict tick(long nowNanos, boolean expectingPeer) {
        if (nowNanos - lastTickNanos > 2 * intervalNanos) {
            // This side was held up: it cannot tell the peer's silence from its own deafness.
            lastHeardNanos = Math.max(lastHeardNanos, nowNanos);
        }
        lastTickNanos = nowNanos;
        if (!expectingPeer) {
            return Verdict.QUIET;
        }
        if (nowNanos - lastHeardNanos >= silenceLimitNanos) {
            return Verdict.PEER_GONE;
        }
        return nowNanos - lastSentNanos >= intervalNanos / 2 ? Verdict.PING : Verdict.QUIET;
    }
}
