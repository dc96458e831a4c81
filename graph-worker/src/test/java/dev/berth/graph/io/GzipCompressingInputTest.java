package dev.berth.graph.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipCompressingInputTest {
    private static byte[] gzip(byte[] data) throws IOException {
        return gzip(data, 3);
    }

    private static byte[] gzip(byte[] data, int threads) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (GzipCompressingInput in = new GzipCompressingInput(new ByteArrayInputStream(data), Deflater.BEST_SPEED, pool,
                threads + 1)) {
            return in.readAllBytes();
        } finally {
            pool.shutdownNow();
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
    void theBlobDoesNotDependOnHowManyThreadsCompressedIt() throws IOException {
        byte[] data = mixed();
        assertThat(gzip(data, 1)).isEqualTo(gzip(data, 4));
    }

    @Test
    void blocksSeeThePreviousBlockAsTheirDictionary() throws IOException {
        // 3 MiB that repeat a random 30 KiB: each block after the first finds it in its dictionary
        byte[] unit = new byte[30 << 10];
        new Random(3).nextBytes(unit);
        byte[] data = new byte[3 * GzipCompressingInput.BLOCK];
        for (int i = 0; i < data.length; i += unit.length) {
            System.arraycopy(unit, 0, data, i, Math.min(unit.length, data.length - i));
        }
        byte[] compressed = gzip(data);
        assertThat(gunzip(compressed)).isEqualTo(data);
        int alone = 0;
        for (int i = 0; i < 3; i++) {
            byte[] block = Arrays.copyOfRange(data, i * GzipCompressingInput.BLOCK, (i + 1) * GzipCompressingInput.BLOCK);
            alone += GzipCompressingInput.deflate(block, null, Deflater.BEST_SPEED, false).length;
        }
        // blocks 2 and 3 spare the 30 KiB of literals they would need on their own
        assertThat(compressed.length).isLessThan(alone - unit.length);
    }

    @Test
    void aFailingSourceFailsTheRead() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk gone");
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (GzipCompressingInput in = new GzipCompressingInput(failing, Deflater.BEST_SPEED, pool, 2)) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("disk gone");
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void emptyAndTinySources() throws IOException {
        assertThat(gunzip(gzip(new byte[0]))).isEmpty();
        assertThat(gunzip(gzip("x".getBytes(StandardCharsets.UTF_8)))).containsExactly('x');
    }
}
