package dev.berth.log.file;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * conmon's k8s-file log format: one record a line,
 * {@code <RFC 3339 time, 9-digit nanos, numeric offset> <stdout|stderr> <F|P> <data>\n}.
 * An F record's data ends where the line ends, so its newline is the line's own; a P record is a
 * piece of a line conmon had to split, and its newline was added by conmon. Parsing works on bytes
 * because the data is whatever the container wrote, not necessarily text.
 */
public final class K8sLogFormat {
    /** Docker's stream numbers, as in {@code StreamRecords}. */
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    /** Where the data must have started by: a longer header means the line is not a record. */
    public static final int MAX_HEADER = 64;
    static final long INVALID_TIME = Long.MIN_VALUE;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final byte[] STDOUT_TAG = {'s', 't', 'd', 'o', 'u', 't', ' '};
    private static final byte[] STDERR_TAG = {'s', 't', 'd', 'e', 'r', 'r', ' '};

    /** What precedes a record's data; reused from record to record. */
    public static final class Header {
        int stream;
        boolean partial;
        long timeNanos;
        int dataOffset;
        /** The seconds of the last time parsed, which the next lines mostly share (see {@link SecondCache}). */
        final SecondCache seconds = new SecondCache();

        public int stream() {
            return stream;
        }

        /** A P record: a piece of a line, joined to the next record of its stream without a newline. */
        public boolean partial() {
            return partial;
        }

        public long timeNanos() {
            return timeNanos;
        }

        void copyFrom(Header other) {
            stream = other.stream;
            partial = other.partial;
            timeNanos = other.timeNanos;
            dataOffset = other.dataOffset;
        }
    }

    private K8sLogFormat() {
    }

    /**
     * Parses the header of the record in {@code line[from, end)}, where end is the record's newline
     * or, for a record longer than the buffer, as far as it has been read. Returns false when the
     * bytes are not a record; otherwise {@code out.dataOffset} is where the data starts.
     */
    public static boolean parseHeader(byte[] line, int from, int end, Header out) {
        int space = indexOf(line, from, Math.min(end, from + MAX_HEADER), (byte) ' ');
        if (space < 0) {
            return false;
        }
        long time = parseTime(line, from, space, out.seconds);
        if (time == INVALID_TIME) {
            return false;
        }
        int p = space + 1;
        int stream;
        if (startsWith(line, p, end, STDOUT_TAG)) {
            stream = STDOUT;
        } else if (startsWith(line, p, end, STDERR_TAG)) {
            stream = STDERR;
        } else {
            return false;
        }
        p += STDOUT_TAG.length;
        if (p >= end || (line[p] != 'F' && line[p] != 'P')) {
            return false;
        }
        boolean partial = line[p] == 'P';
        p++;
        // conmon always writes a space after the flag; tolerate its absence before an empty line.
        if (p < end) {
            if (line[p] != ' ') {
                return false;
            }
            p++;
        }
        out.stream = stream;
        out.partial = partial;
        out.timeNanos = time;
        out.dataOffset = p;
        return true;
    }

    /**
     * Parses {@code YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)} into unix nanoseconds, or
     * {@link #INVALID_TIME}. Hand-written because it runs once per log line.
     */
    public static long parseTime(byte[] b, int from, int end) {
        return parseTime(b, from, end, null);
    }

    /**
     * {@link #parseTime(byte[], int, int)}, taking the seconds from {@code cache} when the date,
     * time of day and zone are the previous line's: only the fraction differs between the
     * thousands of lines a container writes in one second, and the calendar arithmetic was the
     * largest cost of reading a log.
     */
    static long parseTime(byte[] b, int from, int end, SecondCache cache) {
        if (end - from < 20 || b[from + 4] != '-' || b[from + 7] != '-' || (b[from + 10] != 'T' && b[from + 10] != 't')
                || b[from + 13] != ':' || b[from + 16] != ':') {
            return INVALID_TIME;
        }
        int p = from + 19;
        long nanos = 0;
        if (p < end && b[p] == '.') {
            p++;
            int digitsStart = p;
            while (p < end && isDigit(b[p])) {
                if (p - digitsStart < 9) {
                    nanos = nanos * 10 + (b[p] - '0');
                }
                p++;
            }
            int count = p - digitsStart;
            if (count == 0) {
                return INVALID_TIME;
            }
            for (int i = count; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (cache != null && cache.holds(b, from, p, end)) {
            return cache.epochSecond * 1_000_000_000L + nanos;
        }
        long seconds = epochSecond(b, from, p, end);
        if (seconds == INVALID_TIME) {
            return INVALID_TIME;
        }
        try {
            // The largest fraction must fit too, or a cached second could overflow.
            Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), 999_999_999L);
        } catch (ArithmeticException e) {
            return INVALID_TIME;
        }
        if (cache != null) {
            cache.remember(b, from, p, end, seconds);
        }
        return seconds * 1_000_000_000L + nanos;
    }

    /** The unix second of {@code b[from, from + 19)} in the zone {@code b[zone, end)}, or INVALID_TIME. */
    private static long epochSecond(byte[] b, int from, int zone, int end) {
        int year = digits(b, from, 4);
        int month = digits(b, from + 5, 2);
        int day = digits(b, from + 8, 2);
        int hour = digits(b, from + 11, 2);
        int minute = digits(b, from + 14, 2);
        int second = digits(b, from + 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return INVALID_TIME;
        }
        int p = zone;
        long offsetSeconds;
        if (p + 1 == end && (b[p] == 'Z' || b[p] == 'z')) {
            offsetSeconds = 0;
        } else if (p + 6 == end && (b[p] == '+' || b[p] == '-') && b[p + 3] == ':') {
            int offsetHours = digits(b, p + 1, 2);
            int offsetMinutes = digits(b, p + 4, 2);
            if (offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0 || offsetMinutes > 59) {
                return INVALID_TIME;
            }
            offsetSeconds = (offsetHours * 3600L + offsetMinutes * 60L) * (b[p] == '-' ? -1 : 1);
        } else {
            return INVALID_TIME;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return INVALID_TIME;
        }
        return epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    }

    /**
     * The date, time of day and zone bytes of the last valid time parsed, with their unix second.
     * Bytes, not a parse, are compared: equal bytes cannot mean another second.
     */
    static final class SecondCache {
        private static final int DATE_TIME = 19;
        private static final int MAX_ZONE = 6;
        private final byte[] dateTime = new byte[DATE_TIME];
        private final byte[] zone = new byte[MAX_ZONE];
        private int zoneLength = -1;
        long epochSecond;

        boolean holds(byte[] b, int from, int zoneStart, int end) {
            int length = end - zoneStart;
            if (length != zoneLength) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (b[zoneStart + i] != zone[i]) {
                    return false;
                }
            }
            // The seconds' digits change first: compare from the end.
            for (int i = DATE_TIME - 1; i >= 0; i--) {
                if (b[from + i] != dateTime[i]) {
                    return false;
                }
            }
            return true;
        }

        void remember(byte[] b, int from, int zoneStart, int end, long second) {
            // A valid zone is Z or ±HH:MM, never longer.
            System.arraycopy(b, from, dateTime, 0, DATE_TIME);
            System.arraycopy(b, zoneStart, zone, 0, end - zoneStart);
            zoneLength = end - zoneStart;
            epochSecond = second;
        }
    }

    /**
     * The first {@code value} in {@code b[from, end)}, or -1. Eight bytes a step (the zero-byte
     * test of "Bit Twiddling Hacks" on the bytes XORed with the value): every byte of a log passes
     * through here, and a byte-by-byte loop was most of the cost of reading one.
     */
    static int indexOf(byte[] b, int from, int end, byte value) {
        long pattern = (value & 0xFFL) * ONES;
        int i = from;
        for (; i + 8 <= end; i += 8) {
            long v = (long) LONGS.get(b, i) ^ pattern;
            // The lowest flagged byte is the first match; flags above it may be false.
            long found = (v - ONES) & ~v & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, int from, int end, byte[] prefix) {
        if (end - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static int digits(byte[] b, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            if (!isDigit(b[i])) {
                return -1;
            }
            value = value * 10 + (b[i] - '0');
        }
        return value;
    }
}
