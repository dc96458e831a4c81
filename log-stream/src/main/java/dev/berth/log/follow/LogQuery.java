package dev.berth.log.follow;

import io.vertx.core.json.JsonObject;

/**
 * What one logs.read job asks for: which streams, whether to follow, the last {@code tail} lines
 * (-1 = all) and a time window in unix nanos (0 = unset; both ends inclusive, as Docker's).
 */
public record LogQuery(boolean stdout, boolean stderr, boolean follow, int tail, long sinceNanos, long untilNanos) {
    public static LogQuery fromArgs(JsonObject args) {
        long tail = args.getLong("tail", -1L);
        return new LogQuery(
                args.getBoolean("stdout", false),
                args.getBoolean("stderr", false),
                args.getBoolean("follow", false),
                tail < 0 || tail > Integer.MAX_VALUE ? -1 : (int) tail,
                Math.max(0, args.getLong("since", 0L)),
                Math.max(0, args.getLong("until", 0L)));
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
