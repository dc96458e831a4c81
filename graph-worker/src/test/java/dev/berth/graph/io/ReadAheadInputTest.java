package dev.berth.graph.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReadAheadInputTest {
    @Test
    void theReaderGetsTheSourceBytesInOrder() throws IOException {
        byte[] data = new byte[5 << 20];
        new Random(11).nextBytes(data);
        try (ReadAheadInput in = new ReadAheadInput(new ByteArrayInputStream(data), "test-read-ahead")) {
            assertThat(in.read()).isEqualTo(data[0] & 0xff);
            byte[] rest = in.readAllBytes();
            assertThat(rest.length).isEqualTo(data.length - 1);
            assertThat(rest).isEqualTo(java.util.Arrays.copyOfRange(data, 1, data.length));
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void theSourcesFailureReachesTheReaderAfterTheBytesBeforeIt() throws IOException {
        byte[] good = new byte[300 << 10];
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(good), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("unexpected end of the layer");
            }
        });
        try (ReadAheadInput in = new ReadAheadInput(failing, "test-read-ahead")) {
            assertThat(in.readNBytes(good.length)).hasSize(good.length);
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("unexpected end of the layer");
        }
    }

    @Test
    void closingStopsTheThreadAndClosesTheSource() throws Exception {
        CountDownLatch sourceClosed = new CountDownLatch(1);
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public void close() {
                sourceClosed.countDown();
            }
        };
        ReadAheadInput in = new ReadAheadInput(endless, "test-read-ahead-endless");
        assertThat(in.readNBytes(1000)).hasSize(1000);
        in.close();
        assertThat(sourceClosed.await(1, TimeUnit.SECONDS)).isTrue();
        Thread reader = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("test-read-ahead-endless")).findFirst().orElse(null);
        if (reader != null) {
            reader.join(10_000);
            assertThat(reader.isAlive()).isFalse();
        }
    }
}
