package dev.berth.bus.stream;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import io.vertx.core.buffer.Buffer;
import java.util.Objects;

/**
 * One frame of a job stream, as every transport carries it ({@link StreamFrameCodec} makes the
 * bytes). Each side numbers the frames it sends from 0 ({@code sequence}); a receiver that sees a
 * gap knows frames were lost and fails the stream.
 *
 * <ul>
 *   <li>DATA: one chunk of the sender's direction, at most {@link #MAX_DATA} bytes.</li>
 *   <li>CREDIT: the receiver has taken {@code credit} more chunks; the sender may send that many more.</li>
 *   <li>END: the sender's direction ended.</li>
 *   <li>FAIL: the sender's direction ended with an error (kind and message).</li>
 *   <li>CANCEL: the sender abandoned both directions; with an error when it did so because the
 *       stream broke (its peer went silent, a writer ignored back-pressure).</li>
 *   <li>PING: nothing to say, but alive.</li>
 * </ul>
 */
public record StreamFrame(String streamId, long sequence, Kind kind, Buffer data, int credit, ErrorKind errorKind, String message) {
    /** Largest chunk a DATA frame carries: well below Kafka's default 1 MB message limit. */
    public static final int MAX_DATA = 512 * 1024;

    public enum Kind {
        DATA(1), CREDIT(2), END(3), FAIL(4), CANCEL(5), PING(6);

        final int code;

        Kind(int code) {
            this.code = code;
        }

        static Kind ofCode(int code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown frame kind " + code);
        }
    }

    public StreamFrame {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(kind, "kind");
        if (sequence < 0) {
            throw new IllegalArgumentException("negative sequence " + sequence);
        }
        switch (kind) {
            case DATA -> {
                Objects.requireNonNull(data, "data");
                if (data.length() > MAX_DATA) {
                    throw new IllegalArgumentException("a DATA frame carries at most " + MAX_DATA + " bytes, not " + data.length());
                }
            }
            case CREDIT -> {
                if (credit <= 0) {
                    throw new IllegalArgumentException("a CREDIT frame grants at least one chunk, not " + credit);
                }
            }
            case FAIL -> Objects.requireNonNull(errorKind, "errorKind");
            default -> {
            }
        }
        if (errorKind != null && message == null) {
            message = "";
        }
    }

    public static StreamFrame data(String streamId, long sequence, Buffer data) {
        return new StreamFrame(streamId, sequence, Kind.DATA, data, 0, null, null);
    }

    public static StreamFrame credit(String streamId, long sequence, int chunks) {
        return new StreamFrame(streamId, sequence, Kind.CREDIT, null, chunks, null, null);
    }

    public static StreamFrame end(String streamId, long sequence) {
        return new StreamFrame(streamId, sequence, Kind.END, null, 0, null, null);
    }

    public static StreamFrame fail(String streamId, long sequence, EngineException error) {
        return new StreamFrame(streamId, sequence, Kind.FAIL, null, 0, error.kind(), String.valueOf(error.getMessage()));
    }

    /** A cancel; {@code error} null for one the user asked for. */
    public static StreamFrame cancel(String streamId, long sequence, EngineException error) {
        return error == null
                ? new StreamFrame(streamId, sequence, Kind.CANCEL, null, 0, null, null)
                : new StreamFrame(streamId, sequence, Kind.CANCEL, null, 0, error.kind(), String.valueOf(error.getMessage()));
    }

    public static StreamFrame ping(String streamId, long sequence) {
        return new StreamFrame(streamId, sequence, Kind.PING, null, 0, null, null);
    }

    /** The error a FAIL or CANCEL frame carries, or null. */
    public EngineException error() {
        return errorKind == null ? null : new EngineException(errorKind, message);
    }
}
