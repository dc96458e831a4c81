package dev.berth.bus.stream;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Records of a container's output as they travel on the bus, several to a chunk:
 * {@code [stream: 1 byte][time: 8 bytes, unix nanos, 0 if unknown][length: 4 bytes][payload]}.
 * Stream numbers are Docker's: 0 stdin, 1 stdout, 2 stderr.
 */
public final class StreamRecords {
    public static final int STDIN = 0;
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    /** Bytes before each record's payload. */
    public static final int HEADER = 13;

    /** One decoded record; payload is a slice of the chunk. */
    public record Record(int stream, long timeNanos, Buffer payload) {
    }

    private StreamRecords() {
    }

    public static Buffer append(Buffer chunk, int stream, long timeNanos, byte[] data, int offset, int length) {
        return chunk.appendByte((byte) stream).appendLong(timeNanos).appendInt(length).appendBytes(data, offset, length);
    }

    /**
     * Writes one record into {@code chunk} at {@code at}, which must have room for
     * {@link #HEADER} + length bytes; returns where the next record goes. For writers that build
     * a chunk record by record (a log's lines), where appending to a Buffer costs more than the
     * line.
     */
    public static int put(byte[] chunk, int at, int stream, long timeNanos, byte[] data, int offset, int length) {
        chunk[at] = (byte) stream;
        for (int i = 0; i < 8; i++) {
            chunk[at + 1 + i] = (byte) (timeNanos >>> (56 - 8 * i));
        }
        chunk[at + 9] = (byte) (length >>> 24);
        chunk[at + 10] = (byte) (length >>> 16);
        chunk[at + 11] = (byte) (length >>> 8);
        chunk[at + 12] = (byte) length;
        System.arraycopy(data, offset, chunk, at + HEADER, length);
        return at + HEADER + length;
    }

    public static Buffer append(Buffer chunk, int stream, long timeNanos, Buffer data) {
        return chunk.appendByte((byte) stream).appendLong(timeNanos).appendInt(data.length()).appendBuffer(data);
    }

    public static void forEach(Buffer chunk, Consumer<Record> action) {
        int position = 0;
        while (position + HEADER <= chunk.length()) {
            int stream = chunk.getByte(position);
            long time = chunk.getLong(position + 1);
            int length = chunk.getInt(position + 9);
            int start = position + HEADER;
            if (length < 0 || start + length > chunk.length()) {
                throw new IllegalArgumentException("truncated stream record at " + position);
            }
            action.accept(new Record(stream, time, chunk.slice(start, start + length)));
            position = start + length;
        }
        if (position != chunk.length()) {
            throw new IllegalArgumentException("trailing bytes in a stream chunk");
        }
    }
}
