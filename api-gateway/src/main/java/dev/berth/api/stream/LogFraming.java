package dev.berth.api.stream;

import dev.berth.bus.stream.StreamRecords;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Container logs in Docker's framing (see {@link DockerFraming}), where `-t` (and `--details`, the
 * log's attributes) must prefix each line once: a line longer than one bus record (1 MiB lines
 * travel as several) arrives as several records of one stream, and only the first of them, which
 * starts the line, gets a time. One instance per response: it remembers, per stream, whether the
 * last record left a line open.
 *
 * <p>Each record is one frame, as dockerd sends one frame per log message, unless the response
 * is made for a client that copies payloads and never sees frames (the docker CLI): then
 * consecutive whole lines of one stream share a frame, because the CLI's per-frame cost was
 * larger than the daemon's whole cost of a line (see design.md, "docker logs at 10x").
 */
public final class LogFraming {
    private final boolean tty;
    private final boolean timestamps;
    /** null without --details; else dockerd's "k=v,k2=v2 " (keys sorted, both query-escaped), or " ". */
    private final byte[] details;
    private final boolean wholeLinesShareFrames;
    private final boolean[] lineOpen = new boolean[3];
    private final RfcTimestamp stamp = new RfcTimestamp();

    public LogFraming(boolean tty, boolean timestamps) {
        this(tty, timestamps, null, false);
    }

    /**
     * {@code details}: the log's attributes to show before each line; null to show none.
     * {@code wholeLinesShareFrames}: whether consecutive whole lines of one stream may go in one
     * frame (only for clients that cannot tell).
     */
    public LogFraming(boolean tty, boolean timestamps, java.util.Map<String, String> details, boolean wholeLinesShareFrames) {
        this.tty = tty;
        this.timestamps = timestamps;
        this.details = details == null ? null : detailsPrefix(details).getBytes(StandardCharsets.UTF_8);
        this.wholeLinesShareFrames = wholeLinesShareFrames;
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
        byte[] in = chunk.getBytes();
        FrameWriter out = new FrameWriter(in.length + in.length / 2);
        RecordCursor records = new RecordCursor(in);
        int frameStream = -1;
        while (records.next()) {
            int stream = Math.max(0, Math.min(2, records.stream()));
            boolean startsLine = !lineOpen[stream];
            boolean wholeLine = startsLine && records.endsLine();
            if (!tty) {
                int frameType = stream == StreamRecords.STDERR ? 2 : 1;
                boolean joins = wholeLinesShareFrames && wholeLine && out.frameOpen() && frameStream == frameType;
                if (!joins) {
                    out.closeFrame();
                    out.openFrame(frameType);
                    frameStream = wholeLinesShareFrames && wholeLine ? frameType : -1;
                }
            }
            if (startsLine) {
                prefix(out, records.timeNanos());
            }
            out.write(in, records.payloadStart(), records.payloadLength());
            lineOpen[stream] = records.payloadLength() > 0 && !records.endsLine();
            if (!tty && !(wholeLinesShareFrames && wholeLine)) {
                // A piece of a line is a frame of its own, as it would be unmerged.
                out.closeFrame();
                frameStream = -1;
            }
        }
        return out.toBuffer();
    }

    private void prefix(FrameWriter out, long timeNanos) {
        if (timestamps) {
            out.ensure(64);
            int end = stamp.write(timeNanos, out.array(), out.length());
            out.array()[end] = ' ';
            out.advance(end + 1 - out.length());
        }
        if (details != null) {
            out.write(details, 0, details.length);
        }
    }

    /** A message on stderr (merged into the output with a TTY), framed like the log around it. */
    public Buffer message(String text, long unixNanos) {
        byte[] bytes = (text.endsWith("\n") ? text : text + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new DockerFraming(tty, false).format(StreamRecords.append(Buffer.buffer(), StreamRecords.STDERR, unixNanos, bytes, 0, bytes.length));
    }
}
