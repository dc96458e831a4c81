package dev.berth.bus.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * The liveness rules on a simulated clock, millisecond by millisecond: a sender side that sends
 * one frame and then only pings, and a receiver side that watches it, each ticking every
 * interval from when its heartbeat started. Deterministic: no timer, no thread.
 */
class StreamLivenessTest {
    private static final StreamSettings SETTINGS = StreamSettings.DEFAULTS;
    private static final long INTERVAL = SETTINGS.pingInterval().toMillis();
    private static final long LIMIT = SETTINGS.silenceLimit().toMillis();
    private static final long MS = 1_000_000L;

    /** When the receiver took the sender for gone (ms), or -1; and when its last frame arrived. */
    private record Outcome(long goneAt, long lastArrival) {
    }

    /**
     * @param senderStart when the sender's heartbeat starts (the receiver's starts at 0)
     * @param frameAt when the sender sends its one frame (an attach's END, a chunk)
     * @param pingLatency how long each of its pings takes to arrive (the frame takes 1 ms)
     * @param senderStopsAt from when the sender sends nothing more (it vanished)
     */
    private static Outcome simulate(long senderStart, long frameAt, long pingLatency, long senderStopsAt, long untilMs) {
        StreamLiveness receiver = new StreamLiveness(SETTINGS, 0);
        StreamLiveness sender = new StreamLiveness(SETTINGS, senderStart * MS);
        PriorityQueue<Long> arrivals = new PriorityQueue<>();
        long lastArrival = -1;
        for (long t = 1; t <= untilMs; t++) {
            if (t == frameAt) {
                sender.sent(t * MS);
                arrivals.add(t + 1);
            }
            if (t > senderStart && (t - senderStart) % INTERVAL == 0 && t < senderStopsAt) {
                // The receiver's own pings keep the sender's watch content; only its pings matter here.
                sender.heard(t * MS);
                if (sender.tick(t * MS, true) == StreamLiveness.Verdict.PING) {
                    sender.sent(t * MS);
                    arrivals.add(t + pingLatency);
                }
            }
            // The receiver's tick before a frame arriving in the same millisecond: the worse order.
            if (t % INTERVAL == 0 && receiver.tick(t * MS, true) == StreamLiveness.Verdict.PEER_GONE) {
                return new Outcome(t, lastArrival);
            }
            while (!arrivals.isEmpty() && arrivals.peek() == t) {
                arrivals.poll();
                receiver.heard(t * MS);
                lastArrival = t;
            }
        }
        return new Outcome(-1, lastArrival);
    }

    /**
     * The case that failed attach streams: the gateway sent its END just after its heartbeat
     * started and then had nothing to say; the worker's side, which started its heartbeat
     * earlier, watched it. With pings only after a whole tick without sending and a count of three
     * ticks, a start of 1.5 s between the two heartbeats and pings 600 ms late made the worker take
     * the gateway for gone at 6 s, and the container's output was lost. No phase and no delay of
     * up to an interval may do that.
     */
    @Test
    void aLivePeerIsNeverTakenForGoneWhateverItsPhaseAndDelay() {
        List<String> failures = new ArrayList<>();
        for (long senderStart = 0; senderStart < INTERVAL; senderStart += 50) {
            for (long frameDelay : new long[] {1, INTERVAL / 2, INTERVAL - 1}) {
                for (long pingLatency : new long[] {0, 1, 200, 600, 1000, INTERVAL}) {
                    Outcome outcome = simulate(senderStart, senderStart + frameDelay, pingLatency, Long.MAX_VALUE, 30_000);
                    if (outcome.goneAt() >= 0) {
                        failures.add("heartbeat at " + senderStart + " ms, frame " + frameDelay + " ms later, pings "
                                + pingLatency + " ms late: taken for gone at " + outcome.goneAt() + " ms");
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void theFailingCaseOfTheOldRuleNowHoldsUp() {
        assertThat(simulate(1500, 1501, 600, Long.MAX_VALUE, 30_000).goneAt()).isEqualTo(-1);
    }

    @Test
    void aPeerThatStopsIsTakenForGoneOnceTheLimitHasPassed() {
        Outcome outcome = simulate(700, 701, 100, 10_000, 60_000);
        assertThat(outcome.goneAt()).isPositive();
        long silence = outcome.goneAt() - outcome.lastArrival();
        assertThat(silence).isGreaterThanOrEqualTo(LIMIT).isLessThan(LIMIT + INTERVAL);
    }

    @Test
    void aSideThatWasHeldUpDoesNotBlameItsPeerForItsOwnDeafness() {
        StreamLiveness side = new StreamLiveness(SETTINGS, 0);
        side.heard(3_000 * MS);
        assertThat(side.tick(4_000 * MS, true)).isNotEqualTo(StreamLiveness.Verdict.PEER_GONE);
        // Its event loop stalled for seven seconds: the peer's pings may be waiting in its queue.
        assertThat(side.tick(11_000 * MS, true)).isNotEqualTo(StreamLiveness.Verdict.PEER_GONE);
        // Catch-up ticks of a fixed-rate timer come right after.
        assertThat(side.tick(11_001 * MS, true)).isNotEqualTo(StreamLiveness.Verdict.PEER_GONE);
        side.heard(11_002 * MS);
        assertThat(side.tick(13_000 * MS, true)).isNotEqualTo(StreamLiveness.Verdict.PEER_GONE);
        // Real silence after that still counts.
        assertThat(side.tick(15_000 * MS, true)).isNotEqualTo(StreamLiveness.Verdict.PEER_GONE);
        assertThat(side.tick(17_000 * MS, true)).isNotEqualTo(StreamLiveness.Verdict.PEER_GONE);
        assertThat(side.tick(19_000 * MS, true)).isEqualTo(StreamLiveness.Verdict.PEER_GONE);
    }

    @Test
    void itPingsOnlyAfterHalfAnIntervalWithoutSending() {
        StreamLiveness side = new StreamLiveness(SETTINGS, 0);
        side.sent(1_600 * MS);
        assertThat(side.tick(2_000 * MS, true)).isEqualTo(StreamLiveness.Verdict.QUIET);
        assertThat(side.tick(4_000 * MS, true)).isEqualTo(StreamLiveness.Verdict.PING);
    }

    @Test
    void onceNothingIsExpectedNobodyPingsOrWatches() {
        StreamLiveness side = new StreamLiveness(SETTINGS, 0);
        for (long t = INTERVAL; t <= 10 * LIMIT; t += INTERVAL) {
            assertThat(side.tick(t * MS, false)).isEqualTo(StreamLiveness.Verdict.QUIET);
        }
    }

    @Test
    void settingsThatWouldTakeALivePeerForGoneAreRefused() {
        assertThatThrownBy(() -> new StreamSettings(16, 64, Duration.ofSeconds(2), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missedPings");
    }
}
