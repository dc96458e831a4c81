package dev.berth.graph.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterInputStream;

/**
 * Reads the gzip compression of another stream, compressing as it is read: what a push sends, so
 * that a layer is compressed while it uploads instead of being written to disk first. The same
 * input and level always give the same bytes, so a layer compressed again matches the blob a
 * registry already has.
 */
public final class GzipCompressingInput extends InputStream {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final CRC32 crc = new CRC32();
    private final Deflater deflater;
    private final InputStream joined;
    private long uncompressed;

    public GzipCompressingInput(InputStream source, int level) {
        this.deflater = new Deflater(level, true);
        InputStream counted = new ObservedInputStream(source) {
            @Override
            protected void observe(byte[] bytes, int offset, int n) {
                crc.update(bytes, offset, n);
                uncompressed += n;
            }
        };
        InputStream body = new DeflaterInputStream(counted, deflater, 1 << 16);
        InputStream trailer = new InputStream() {
            private ByteArrayInputStream bytes;

            @Override
            public int read() throws IOException {
                return bytes().read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                return bytes().read(buffer, offset, length);
            }

            /** Made only once the body is read whole, when the CRC and size are known. */
            private ByteArrayInputStream bytes() {
                if (bytes == null) {
                    long crcValue = crc.getValue();
                    long size = uncompressed & 0xffffffffL;
                    byte[] trailerBytes = new byte[8];
                    for (int i = 0; i < 4; i++) {
                        trailerBytes[i] = (byte) (crcValue >>> (8 * i));
                        trailerBytes[4 + i] = (byte) (size >>> (8 * i));
                    }
                    bytes = new ByteArrayInputStream(trailerBytes);
                }
                return bytes;
            }
        };
        this.joined = new SequenceInputStream(java.util.Collections.enumeration(java.util.List.of(
                new ByteArrayInputStream(HEADER), body, trailer)));
    }

    @Override
    public int read() throws IOException {
        return joined.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        return joined.read(buffer, offset, length);
    }

    /** Uncompressed bytes read so far. */
    public long uncompressedBytes() {
        return uncompressed;
    }

    @Override
    public void close() throws IOException {
        try {
            joined.close();
        } finally {
            deflater.end();
        }
    }
}
