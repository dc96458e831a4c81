package dev.berth.api.stream;

import dev.berth.bus.stream.StreamRecords;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Turns container output records into what Docker clients read: with a TTY, the raw bytes; without,
 * each record behind the 8-byte header {stream, 0, 0, 0, length (big-endian)}. Optionally each
 * record starts with an RFC 3339 time with nine fraction digits, as `docker logs -t` prints.
 */
public final class DockerFraming {
    private static final DateTimeFormatter NANOS = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 9, 9, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    private final boolean tty;
    private final boolean timestamps;
    private final RfcTimestamp stamp = new RfcTimestamp();

    public DockerFraming(boolean tty, boolean timestamps) {
        this.tty = tty;
        this.timestamps = timestamps;
    }

    /** Formats every record of one bus chunk. */
    public Buffer format(Buffer chunk) {
        return timestamps ? formatWithTimes(chunk) : formatPlain(chunk);
    }

    /**
     * Without times the output is the chunk's payloads behind frame headers: sized first, then
     * copied once from the chunk (attach and exec output, 64 KiB chunks, was copied three times).
     */
    private Buffer formatPlain(Buffer chunk) {
        int end = chunk.length();
        int size = 0;
        int at = 0;
        while (at < end) {
            int length = recordLength(chunk, at);
            size += (tty ? 0 : 8) + length;
            at += StreamRecords.HEADER + length;
        }
        Buffer out = Buffer.buffer(size);
        at = 0;
        while (at < end) {
            int length = chunk.getInt(at + 9);
            if (!tty) {
                out.appendInt((chunk.getByte(at) == StreamRecords.STDERR ? 2 : 1) << 24).appendInt(length);
            }
            out.appendBuffer(chunk, at + StreamRecords.HEADER, length);
            at += StreamRecords.HEADER + length;
        }
        return out;
    }

    /** The payload length of the record at {@code at}; refuses what {@link RecordCursor} refuses. */
    private static int recordLength(Buffer chunk, int at) {
        if (at + StreamRecords.HEADER > chunk.length()) {
            throw new IllegalArgumentException("trailing bytes in a stream chunk");
        }
        int length = chunk.getInt(at + 9);
        if (length < 0 || at + StreamRecords.HEADER + length > chunk.length()) {
            throw new IllegalArgumentException("truncated stream record at " + at);
        }
        return length;
    }

    private Buffer formatWithTimes(Buffer chunk) {
        byte[] in = chunk.getBytes();
        FrameWriter out = new FrameWriter(in.length + 64);
        RecordCursor records = new RecordCursor(in);
        while (records.next()) {
            if (!tty) {
                out.openFrame(records.stream() == StreamRecords.STDERR ? 2 : 1);
            }
            if (timestamps) {
                out.ensure(64);
                int end = stamp.write(records.timeNanos(), out.array(), out.length());
                out.array()[end] = ' ';
                out.advance(end + 1 - out.length());
            }
            out.write(in, records.payloadStart(), records.payloadLength());
            out.closeFrame();
        }
        return out.toBuffer();
    }

    public static String timestamp(long unixNanos) {
        return NANOS.format(Instant.ofEpochSecond(Math.floorDiv(unixNanos, 1_000_000_000L), Math.floorMod(unixNanos, 1_000_000_000L)));
    }
}
