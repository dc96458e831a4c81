package dev.berth.graph.unpack;

import dev.berth.graph.io.ObservedInputStream;
import dev.berth.bus.EngineException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Recognises a layer's compression by its magic bytes (as Docker does: gzip, bzip2, xz, zstd or
 * none) and inflates it, refusing output that grows out of proportion to its input.
 */
public final class Decompression {
    /** The compressions a layer may use. */
    public enum Format {
        NONE, GZIP, BZIP2, XZ, ZSTD
    }

    private static final byte[] GZIP = {0x1f, (byte) 0x8b};
    private static final byte[] BZIP2 = {'B', 'Z', 'h'};
    private static final byte[] XZ = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
    private static final byte[] ZSTD = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

    private Decompression() {
    }

    public static Format detect(byte[] head, int length) {
        if (startsWith(head, length, GZIP)) {
            return Format.GZIP;
        }
        if (startsWith(head, length, BZIP2)) {
            return Format.BZIP2;
        }
        if (startsWith(head, length, XZ)) {
            return Format.XZ;
        }
        if (startsWith(head, length, ZSTD)) {
            return Format.ZSTD;
        }
        return Format.NONE;
    }

    private static boolean startsWith(byte[] head, int length, byte[] magic) {
        return length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }

    /**
     * The uncompressed bytes of raw. When raw is compressed, reading fails with INVALID_ARGUMENT
     * once more than {@code limits.ratioFloorBytes()} came out and the output exceeds
     * {@code limits.maxRatio()} times the input consumed.
     */
    public static InputStream inflate(InputStream raw, UnpackLimits limits) throws IOException {
        CountingInput compressed = new CountingInput(new BufferedInputStream(raw, 1 << 16));
        compressed.mark(16);
        byte[] head = compressed.readNBytes(8);
        compressed.reset();
        compressed.resetCount();
        Format format = detect(head, head.length);
        InputStream inflated;
        try {
            switch (format) {
                case GZIP:
                    inflated = new GzipCompressorInputStream(compressed, true);
                    break;
                case BZIP2:
                    inflated = new BZip2CompressorInputStream(compressed, true);
                    break;
                case XZ:
                    inflated = new XZCompressorInputStream(compressed, true);
                    break;
                case ZSTD:
                    inflated = new ZstdCompressorInputStream(compressed);
                    break;
                default:
                    return compressed;
            }
        } catch (IOException e) {
            throw EngineException.invalid("invalid " + format.name().toLowerCase() + " layer: " + e.getMessage());
        }
        return new RatioGuard(inflated, compressed, limits);
    }

    /** Counts the bytes read through it; supports mark and reset for sniffing the format. */
    public static final class CountingInput extends ObservedInputStream {
        private long count;
        private long marked;

        public CountingInput(InputStream in) {
            super(in);
        }

        public long count() {
            return count;
        }

        void resetCount() {
            count = 0;
        }

        @Override
        protected void observe(byte[] bytes, int offset, int n) {
            count += n;
        }

        @Override
        public synchronized void mark(int limit) {
            in.mark(limit);
            marked = count;
        }

        @Override
        public synchronized void reset() throws IOException {
            in.reset();
            count = marked;
        }

        @Override
        public boolean markSupported() {
            return in.markSupported();
        }
    }

    private static final class RatioGuard extends ObservedInputStream {
        private final CountingInput compressed;
        private final UnpackLimits limits;
        private long produced;

        RatioGuard(InputStream inflated, CountingInput compressed, UnpackLimits limits) {
            super(inflated);
            this.compressed = compressed;
            this.limits = limits;
        }

        @Override
        protected void observe(byte[] bytes, int offset, int n) {
            produced += n;
            if (produced > limits.ratioFloorBytes() && produced / Math.max(1, compressed.count()) > limits.maxRatio()) {
                throw EngineException.invalid("refusing a layer that decompresses more than " + limits.maxRatio()
                        + " times its compressed size (a decompression bomb?)");
            }
        }
    }
}
