package dev.berth.api.stream;

import io.vertx.core.buffer.Buffer;

/**
 * The bytes of one formatted chunk, written into one growing array: a log chunk carries a thousand
 * lines, and a Buffer append (or a record object) per line cost more than the line itself.
 */
final class FrameWriter {
    private byte[] bytes;
    private int length;
    /** Where the open frame's 8-byte header is; -1 when no frame is open. */
    private int frameHeader = -1;

    FrameWriter(int capacity) {
        bytes = new byte[Math.max(64, capacity)];
    }

    /** Opens a multiplexed frame of {@code stream}; its length is filled in by {@link #closeFrame}. */
    void openFrame(int stream) {
        ensure(8);
        frameHeader = length;
        bytes[length] = (byte) stream;
        bytes[length + 1] = 0;
        bytes[length + 2] = 0;
        bytes[length + 3] = 0;
        length += 8;
    }

    boolean frameOpen() {
        return frameHeader >= 0;
    }

    void closeFrame() {
        if (frameHeader < 0) {
            return;
        }
        int size = length - frameHeader - 8;
        bytes[frameHeader + 4] = (byte) (size >>> 24);
        bytes[frameHeader + 5] = (byte) (size >>> 16);
        bytes[frameHeader + 6] = (byte) (size >>> 8);
        bytes[frameHeader + 7] = (byte) size;
        frameHeader = -1;
    }

    void write(byte[] data, int offset, int count) {
        ensure(count);
        System.arraycopy(data, offset, bytes, length, count);
        length += count;
    }

    /** Room for {@code count} more bytes, to be written straight into {@link #array()} at {@link #length()}. */
    void ensure(int count) {
        if (length + count > bytes.length) {
            bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
        }
    }

    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }

    void advance(int count) {
        length += count;
    }

    Buffer toBuffer() {
        closeFrame();
        return Buffer.buffer(length).appendBytes(bytes, 0, length);
    }
}
