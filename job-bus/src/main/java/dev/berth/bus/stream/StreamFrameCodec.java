package dev.berth.bus.stream;

import dev.berth.bus.ErrorKind;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of a {@link StreamFrame}, the same on every transport (big-endian):
 * <pre>
 * version: 1 byte (1) | kind: 1 byte | stream id: 2-byte length + UTF-8 | sequence: 8 bytes
 * DATA:   length: 4 bytes + bytes
 * CREDIT: chunks: 4 bytes
 * FAIL:   error code: 4 bytes ({@link ErrorKind#code()}) + message: 4-byte length + UTF-8
 * CANCEL: 1 byte (0: no error, 1: an error as in FAIL follows)
 * END, PING: nothing more
 * </pre>
 * Decoding refuses anything else, including trailing bytes, with an IllegalArgumentException.
 */
public final class StreamFrameCodec {
    static final int VERSION = 1;
    private static final int MAX_STREAM_ID = 256;
    private static final int MAX_MESSAGE = 64 * 1024;

    private StreamFrameCodec() {
    }

    public static Buffer encode(StreamFrame frame) {
        byte[] id = frame.streamId().getBytes(StandardCharsets.UTF_8);
        if (id.length > MAX_STREAM_ID) {
            throw new IllegalArgumentException("stream id longer than " + MAX_STREAM_ID + " bytes");
        }
        int size = 12 + id.length + (frame.data() != null ? 4 + frame.data().length() : 64);
        Buffer out = Buffer.buffer(size)
                .appendByte((byte) VERSION)
                .appendByte((byte) frame.kind().code)
                .appendShort((short) id.length)
                .appendBytes(id)
                .appendLong(frame.sequence());
        switch (frame.kind()) {
            case DATA -> out.appendInt(frame.data().length()).appendBuffer(frame.data());
            case CREDIT -> out.appendInt(frame.credit());
            case FAIL -> appendError(out, frame);
            case CANCEL -> {
                out.appendByte((byte) (frame.errorKind() != null ? 1 : 0));
                if (frame.errorKind() != null) {
                    appendError(out, frame);
                }
            }
            default -> {
            }
        }
        return out;
    }

    private static void appendError(Buffer out, StreamFrame frame) {
        byte[] message = frame.message().getBytes(StandardCharsets.UTF_8);
        int length = Math.min(message.length, MAX_MESSAGE);
        out.appendInt(frame.errorKind().code()).appendInt(length).appendBytes(message, 0, length);
    }

    public static StreamFrame decode(Buffer bytes) {
        Reader in = new Reader(bytes);
        int version = in.u8();
        if (version != VERSION) {
            throw new IllegalArgumentException("stream frame version " + version + ", expected " + VERSION);
        }
        StreamFrame.Kind kind = StreamFrame.Kind.ofCode(in.u8());
        String streamId = in.string(in.u16(), MAX_STREAM_ID);
        long sequence = in.i64();
        StreamFrame frame = switch (kind) {
            case DATA -> StreamFrame.data(streamId, sequence, in.bytes(in.i32(), StreamFrame.MAX_DATA));
            case CREDIT -> StreamFrame.credit(streamId, sequence, in.i32());
            case END -> StreamFrame.end(streamId, sequence);
            case PING -> StreamFrame.ping(streamId, sequence);
            case FAIL -> new StreamFrame(streamId, sequence, kind, null, 0, in.errorKind(), in.string(in.i32(), MAX_MESSAGE));
            case CANCEL -> in.u8() == 0
                    ? new StreamFrame(streamId, sequence, kind, null, 0, null, null)
                    : new StreamFrame(streamId, sequence, kind, null, 0, in.errorKind(), in.string(in.i32(), MAX_MESSAGE));
        };
        if (in.position != bytes.length()) {
            throw new IllegalArgumentException((bytes.length() - in.position) + " trailing bytes after a " + kind + " frame");
        }
        return frame;
    }

    private static final class Reader {
        private final Buffer bytes;
        private int position;

        Reader(Buffer bytes) {
            this.bytes = bytes;
        }

        private void need(int n) {
            if (n < 0 || position + n > bytes.length()) {
                throw new IllegalArgumentException("truncated stream frame");
            }
        }

        int u8() {
            need(1);
            return bytes.getUnsignedByte(position++);
        }

        int u16() {
            need(2);
            int value = bytes.getUnsignedShort(position);
            position += 2;
            return value;
        }

        int i32() {
            need(4);
            int value = bytes.getInt(position);
            position += 4;
            return value;
        }

        long i64() {
            need(8);
            long value = bytes.getLong(position);
            position += 8;
            return value;
        }

        Buffer bytes(int length, int max) {
            if (length > max) {
                throw new IllegalArgumentException("a field of " + length + " bytes, more than " + max);
            }
            need(length);
            Buffer slice = bytes.slice(position, position + length);
            position += length;
            return slice;
        }

        String string(int length, int max) {
            return bytes(length, max).toString(StandardCharsets.UTF_8);
        }

        ErrorKind errorKind() {
            return ErrorKind.ofCode(i32());
        }
    }
}
