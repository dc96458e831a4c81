package dev.berth.api.stream;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Writes unix nanos as `docker logs -t` prints them, {@code 2006-01-02T15:04:05.999999999Z}
 * (always nine fraction digits), into a byte array. The date and time of day are formatted once
 * per second: the lines of a log mostly share them, and formatting each line's time whole was a
 * large part of the cost of `docker logs -t`. One instance per response; not thread-safe.
 */
final class RfcTimestamp {
    /** Bytes of one timestamp. */
    static final int LENGTH = 30;
    private final byte[] secondText = new byte[19];
    private long second = Long.MIN_VALUE;

    /** Writes the timestamp of {@code unixNanos} at {@code out[at]}; returns where it ends. */
    int write(long unixNanos, byte[] out, int at) {
        long epochSecond = Math.floorDiv(unixNanos, 1_000_000_000L);
        int nanos = (int) Math.floorMod(unixNanos, 1_000_000_000L);
        if (epochSecond != second) {
            LocalDateTime time = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
            String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d", time.getYear(), time.getMonthValue(),
                    time.getDayOfMonth(), time.getHour(), time.getMinute(), time.getSecond());
            if (text.length() != secondText.length) {
                // A year outside 0000–9999: rare enough for the slow path.
                byte[] whole = (DockerFraming.timestamp(unixNanos)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                second = Long.MIN_VALUE;
                System.arraycopy(whole, 0, out, at, whole.length);
                return at + whole.length;
            }
            text.getBytes(0, secondText.length, secondText, 0);
            second = epochSecond;
        }
        System.arraycopy(secondText, 0, out, at, secondText.length);
        int p = at + secondText.length;
        out[p++] = '.';
        for (int i = 8; i >= 0; i--) {
            out[p + i] = (byte) ('0' + nanos % 10);
            nanos /= 10;
        }
        p += 9;
        out[p++] = 'Z';
        return p;
    }
}
