package dev.berth.api.stream;

import dev.berth.bus.stream.StreamRecords;

/**
 * Walks the {@link StreamRecords} of one chunk in place, without an object or a slice per record.
 * Refuses a truncated record or trailing bytes, as {@link StreamRecords#forEach} does.
 */
final class RecordCursor {
    private final byte[] chunk;
    private int next;
    private int stream;
    private long time;
    private int start;
    private int length;

    RecordCursor(byte[] chunk) {
        this.chunk = chunk;
    }

    /** Moves to the next record; false at the chunk's end. */
    boolean next() {
        if (next == chunk.length) {
            return false;
        }
        if (next + StreamRecords.HEADER > chunk.length) {
            throw new IllegalArgumentException("trailing bytes in a stream chunk");
        }
        stream = chunk[next];
        long t = 0;
        for (int i = 1; i <= 8; i++) {
            t = (t << 8) | (chunk[next + i] & 0xff);
        }
        time = t;
        length = ((chunk[next + 9] & 0xff) << 24) | ((chunk[next + 10] & 0xff) << 16) | ((chunk[next + 11] & 0xff) << 8)
                | (chunk[next + 12] & 0xff);
        start = next + StreamRecords.HEADER;
        if (length < 0 || start + length > chunk.length) {
            throw new IllegalArgumentException("truncated stream record at " + next);
        }
        next = start + length;
        return true;
    }

    int stream() {
        return stream;
    }

    long timeNanos() {
        return time;
    }

    int payloadStart() {
        return start;
    }

    int payloadLength() {
        return length;
    }

    /** Whether the record ends with a newline: it ends its line. */
    boolean endsLine() {
        return length > 0 && chunk[start + length - 1] == '\n';
    }
}
