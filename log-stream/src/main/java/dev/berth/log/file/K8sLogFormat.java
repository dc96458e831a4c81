package dev.berth.log.file;

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

    private static final byte[] STDOUT_TAG = {'s', 't', 'd', 'o', 'u', 't', ' '};
    private static final byte[] STDERR_TAG = {'s', 't', 'd', 'e', 'r', 'r', ' '};

    /** What precedes a record's data; reused from record to record. */
    public static final class Header {
        int stream;
        boolean partial;
        long timeNanos;
        int dataOffset;

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
        long time = parseTime(line, from, space);
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
        if (end - from < 20 || b[from + 4] != '-' || b[from + 7] != '-' || (b[from + 10] != 'T' && b[from + 10] != 't')
                || b[from + 13] != ':' || b[from + 16] != ':') {
            return INVALID_TIME;
        }
        int year = digits(b, from, 4);
        int month = digits(b, from + 5, 2);
        int day = digits(b, from + 8, 2);
        int hour = digits(b, from + 11, 2);
        int minute = digits(b, from + 14, 2);
        int second = digits(b, from + 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
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
        long seconds = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        try {
            return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
        } catch (ArithmeticException e) {
            return INVALID_TIME;
        }
    }

    static int indexOf(byte[] b, int from, int end, byte value) {
        for (int i = from; i < end; i++) {
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
