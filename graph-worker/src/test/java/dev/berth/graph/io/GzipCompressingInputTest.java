package dev.berth.graph.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipCompressingInputTest {
    private static byte[] gzip(byte[] data) throws IOException {
        try (GzipCompressingInput in = new GzipCompressingInput(new ByteArrayInputStream(data), Deflater.BEST_SPEED)) {
            return in.readAllBytes();
        }
    }

    private static byte[] gunzip(byte[] data) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }

    /** Text, then random bytes, then text again: every mode of the compressor. */
    private static byte[] mixed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] text = "a line of a config file that repeats itself\n".repeat(60_000).getBytes(StandardCharsets.UTF_8);
        byte[] random = new byte[40 << 20];
        new Random(7).nextBytes(random);
        out.writeBytes(text);
        out.writeBytes(random);
        out.writeBytes(text);
        return out.toByteArray();
    }

    @Test
    void whatItReadsIsGzipOfTheSourceAndTheSameEveryTime() throws IOException {
        byte[] data = mixed();
        byte[] compressed = gzip(data);
        assertThat(gunzip(compressed)).isEqualTo(data);
        assertThat(gzip(data)).isEqualTo(compressed);
        // the leading text compresses away; the random part is stored, costing only the framing
        int textBytes = 60_000 * 44;
        assertThat(compressed.length).isLessThan(data.length - textBytes * 9 / 10).isGreaterThan(40 << 20);
    }

    @Test
    void emptyAndTinySources() throws IOException {
        assertThat(gunzip(gzip(new byte[0]))).isEmpty();
        assertThat(gunzip(gzip("x".getBytes(StandardCharsets.UTF_8)))).containsExactly('x');
    }
}
