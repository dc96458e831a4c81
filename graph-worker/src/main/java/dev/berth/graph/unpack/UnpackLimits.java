package dev.berth.graph.unpack;

/**
 * How far one layer may go before it is refused as a bomb.
 *
 * @param maxBytes uncompressed tar bytes of one layer
 * @param maxEntries tar entries of one layer
 * @param maxRatio decompressed / compressed bytes, checked once past {@code ratioFloorBytes}
 * @param ratioFloorBytes decompressed bytes below which the ratio is not checked (small layers of
 *     zeros legitimately compress very well)
 */
public record UnpackLimits(long maxBytes, long maxEntries, long maxRatio, long ratioFloorBytes) {
    public static final long DEFAULT_MAX_ENTRIES = 1_000_000;
    /** gzip cannot exceed about 1030:1; real layers stay far below 100:1. */
    public static final long DEFAULT_MAX_RATIO = 250;
    public static final long DEFAULT_RATIO_FLOOR = 16L << 20;

    public static UnpackLimits withMaxBytes(long maxBytes) {
        return new UnpackLimits(maxBytes, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_RATIO, DEFAULT_RATIO_FLOOR);
    }
}
