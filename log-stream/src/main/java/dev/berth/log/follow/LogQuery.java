package dev.berth.log.follow;

import dev.berth.bus.contract.logs.ReadLogs;

/**
 * What one logs.read job asks for: which streams, whether to follow, the last {@code tail} lines
 * (-1 = all) and a time window in unix nanos (0 = unset; both ends inclusive, as Docker's).
 */
public record LogQuery(boolean stdout, boolean stderr, boolean follow, int tail, long sinceNanos, long untilNanos) {
    public static LogQuery of(ReadLogs args) {
        Integer tail = args.tail();
        return new LogQuery(args.stdout(), args.stderr(), args.follow(),
                tail == null || tail < 0 ? -1 : tail,
                args.since() == null ? 0 : Math.max(0, args.since()),
                args.until() == null ? 0 : Math.max(0, args.until()));
    }

    public boolean wants(int stream) {
        return stream == 1 ? stdout : stream == 2 && stderr;
    }

    /** Whether a line of this time falls inside the window. */
    public boolean inWindow(long timeNanos) {
        return timeNanos >= sinceNanos && !afterUntil(timeNanos);
    }

    public boolean afterUntil(long timeNanos) {
        return untilNanos > 0 && timeNanos > untilNanos;
    }
}
