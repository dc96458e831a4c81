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

    public DockerFraming(boolean tty, boolean timestamps) {
        this.tty = tty;
        this.timestamps = timestamps;
    }

    /** Formats every record of one bus chunk. */
    public Buffer format(Buffer chunk) {
        Buffer out = Buffer.buffer(chunk.length() + 64);
        StreamRecords.forEach(chunk, record -> {
            Buffer payload = record.payload();
            if (timestamps) {
                payload = Buffer.buffer(timestamp(record.timeNanos()) + " ").appendBuffer(payload);
            }
            if (!tty) {
                out.appendByte((byte) (record.stream() == StreamRecords.STDERR ? 2 : 1))
                        .appendByte((byte) 0).appendByte((byte) 0).appendByte((byte) 0)
                        .appendInt(payload.length());
            }
            out.appendBuffer(payload);
        });
        return out;
    }

    public static String timestamp(long unixNanos) {
        return NANOS.format(Instant.ofEpochSecond(unixNanos / 1_000_000_000L, unixNanos % 1_000_000_000L));
    }
}
