package dev.berth.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FifoReaderTest {
    @TempDir
    Path dir;

    private Path fifo() throws Exception {
        Path fifo = dir.resolve("sync");
        FileOps.linux().mkfifo(fifo, 0600);
        return fifo;
    }

    @Test
    void timesOutWhileNoWriterEverCame() throws Exception {
        try (FifoReader reader = FifoReader.open(fifo())) {
            long started = System.nanoTime();
            assertThat(reader.read(new byte[16], 150)).isEqualTo(FifoReader.TIMED_OUT);
            assertThat((System.nanoTime() - started) / 1_000_000).isBetween(100L, 5_000L);
        }
    }

    @Test
    void keepsWhatAWriterWroteBeforeItWentAway() throws Exception {
        Path fifo = fifo();
        try (FifoReader reader = FifoReader.open(fifo)) {
            try (FileOutputStream writer = new FileOutputStream(fifo.toFile())) {
                writer.write("{\"data\": 42}\n".getBytes(StandardCharsets.UTF_8));
            }
            byte[] buffer = new byte[64];
            int n = reader.read(buffer, 1_000);
            assertThat(new String(buffer, 0, n, StandardCharsets.UTF_8)).isEqualTo("{\"data\": 42}\n");
            assertThat(reader.read(buffer, 1_000)).isZero();
        }
    }

    @Test
    void endOfFileWhenAWriterClosesWithoutWriting() throws Exception {
        Path fifo = fifo();
        try (FifoReader reader = FifoReader.open(fifo)) {
            new FileOutputStream(fifo.toFile()).close();
            long started = System.nanoTime();
            assertThat(reader.read(new byte[16], 5_000)).isZero();
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(1_000L);
        }
    }

    @Test
    void wakesAsSoonAsAWriterWrites() throws Exception {
        Path fifo = fifo();
        try (FifoReader reader = FifoReader.open(fifo)) {
            Thread writer = new Thread(() -> {
                try (FileOutputStream out = new FileOutputStream(fifo.toFile())) {
                    Thread.sleep(100);
                    out.write('0');
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            byte[] buffer = new byte[1];
            assertThat(reader.read(buffer, 10_000)).isEqualTo(1);
            assertThat(buffer[0]).isEqualTo((byte) '0');
            writer.join();
            assertThat(Files.exists(fifo)).isTrue();
        }
    }

    @Test
    void aWriteWithoutReaderIsRefusedAtOnceAndAWriteWithOneArrives() throws Exception {
        Path fifo = fifo();
        assertThat(FifoWriter.writeIfRead(fifo, "1 24 80\n".getBytes(StandardCharsets.US_ASCII))).isFalse();
        try (FifoReader reader = FifoReader.open(fifo)) {
            assertThat(FifoWriter.writeIfRead(fifo, "1 24 80\n".getBytes(StandardCharsets.US_ASCII))).isTrue();
            byte[] buffer = new byte[16];
            int n = reader.read(buffer, 1_000);
            assertThat(new String(buffer, 0, n, StandardCharsets.US_ASCII)).isEqualTo("1 24 80\n");
        }
    }
}
