package dev.berth.api.stream;

import dev.berth.bus.stream.StreamRecords;
import io.vertx.core.buffer.Buffer;

/**
 * {@link DockerFraming} for container logs, where `-t` (and `--details`, the log's attributes)
 * must prefix each line once: a line longer
 * than one bus record (1 MiB lines travel as several) arrives as several records of one stream,
 * and only the first of them, which starts the line, gets a time. One instance per response: it
 * remembers, per stream, whether the last record left a line open.
 */
public final class LogFraming {
    private final DockerFraming framing;
    private final boolean timestamps;
    /** null without --details; else dockerd's "k=v,k2=v2 " (keys sorted, both query-escaped), or " ". */
    private final String details;
    private final boolean[] lineOpen = new boolean[3];

    public LogFraming(boolean tty, boolean timestamps) {
        this(tty, timestamps, null);
    }

    /** {@code details}: the log's attributes to show before each line; null to show none. */
    public LogFraming(boolean tty, boolean timestamps, java.util.Map<String, String> details) {
        this.framing = new DockerFraming(tty, false);
        this.timestamps = timestamps;
        this.details = details == null ? null : detailsPrefix(details);
    }

    static String detailsPrefix(java.util.Map<String, String> attributes) {
        java.util.StringJoiner joined = new java.util.StringJoiner(",", "", " ");
        new java.util.TreeMap<>(attributes).forEach((key, value) -> joined.add(queryEscape(key) + "=" + queryEscape(value)));
        return joined.toString();
    }

    /** Go's url.QueryEscape, which dockerd applies to both key and value. */
    private static String queryEscape(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
    }

    /** Formats every record of one chunk of {@link StreamRecords}. */
    public Buffer format(Buffer chunk) {
        if (!timestamps && details == null) {
            return framing.format(chunk);
        }
        Buffer stamped = Buffer.buffer(chunk.length() + 256);
        StreamRecords.forEach(chunk, record -> {
            int stream = Math.max(0, Math.min(2, record.stream()));
            Buffer payload = record.payload();
            if (!lineOpen[stream]) {
                String prefix = (timestamps ? DockerFraming.timestamp(record.timeNanos()) + " " : "") + (details != null ? details : "");
                payload = Buffer.buffer(prefix).appendBuffer(payload);
            }
            lineOpen[stream] = payload.length() > 0 && payload.getByte(payload.length() - 1) != '\n';
            StreamRecords.append(stamped, record.stream(), record.timeNanos(), payload);
        });
        return framing.format(stamped);
    }

    /** A message on stderr (merged into the output with a TTY), framed like the log around it. */
    public Buffer message(String text, long unixNanos) {
        byte[] bytes = (text.endsWith("\n") ? text : text + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return framing.format(StreamRecords.append(Buffer.buffer(), StreamRecords.STDERR, unixNanos, bytes, 0, bytes.length));
    }
}
