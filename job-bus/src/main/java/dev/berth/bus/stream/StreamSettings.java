package dev.berth.bus.stream;

import java.time.Duration;

/**
 * The numbers of the stream protocol. Both sides of a stream must use the same window: it is the
 * credit each writer starts with.
 *
 * @param window chunks a writer may have sent and not yet seen taken by the reader
 * @param hardCap chunks a writer may queue beyond the window when it ignores
 *        {@code writeQueueFull()}; one more fails the stream rather than buffer it
 * @param pingInterval how often each side proves it is alive when it has nothing else to send
 * @param missedPings intervals without a frame from the peer after which it is taken for gone
 *        and the stream fails on both sides; at least 2, since a live peer may be silent for
 *        one and a half intervals ({@link StreamLiveness})
 */
public record StreamSettings(int window, int hardCap, Duration pingInterval, int missedPings) {
    /** 16 chunks of at most 64 KiB in flight, 4 windows of queue, a peer gone after 6 s of silence. */
    public static final StreamSettings DEFAULTS = new StreamSettings(16, 64, Duration.ofSeconds(2), 3);

    public StreamSettings {
        if (window < 2) {
            throw new IllegalArgumentException("window must be at least 2");
        }
        if (hardCap < window) {
            throw new IllegalArgumentException("hardCap must be at least the window");
        }
        if (pingInterval.toMillis() < 1) {
            throw new IllegalArgumentException("pingInterval must be positive");
        }
        if (missedPings < 2) {
            throw new IllegalArgumentException("missedPings must be at least 2: a live peer may be silent for 1.5 intervals");
        }
    }

    /** How long a peer may stay silent before it is taken for gone. */
    public Duration silenceLimit() {
        return pingInterval.multipliedBy(missedPings);
    }
}
