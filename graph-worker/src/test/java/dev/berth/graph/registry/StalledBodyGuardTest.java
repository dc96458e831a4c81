package dev.berth.graph.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

class StalledBodyGuardTest {
    /** A response body as the HTTP client gives it: reads wait for the network, close ends them. */
    private static final class NetworkBody extends InputStream {
        private static final int CLOSED = -2;
        private final LinkedBlockingQueue<Integer> bytes = new LinkedBlockingQueue<>();

        void arrive(int... values) {
            for (int value : values) {
                bytes.add(value);
            }
        }

        @Override
        public int read() throws IOException {
            try {
                int next = bytes.take();
                if (next == CLOSED) {
                    bytes.add(CLOSED);
                    throw new IOException("closed");
                }
                return next;
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            buffer[offset] = (byte) read();
            return 1;
        }

        @Override
        public void close() {
            bytes.add(CLOSED);
        }
    }

    @Test
    void aBodyThatGoesSilentFailsWithTheReason() throws Exception {
        NetworkBody body = new NetworkBody();
        body.arrive('o', 'k');
        InputStream guarded = StalledBodyGuard.guard(body, Duration.ofMillis(300), "blob sha256:abc");
        assertThat(guarded.readNBytes(2)).asString().isEqualTo("ok");

        assertThatThrownBy(() -> guarded.read(new byte[16]))
                .isInstanceOf(IOException.class)
                .hasMessage("no data from the registry for 0.3s while reading blob sha256:abc");
        assertThatThrownBy(guarded::read).hasMessageContaining("no data from the registry");
    }

    @Test
    void timeBetweenReadsIsTheReadersAndNeverCounts() throws Exception {
        NetworkBody body = new NetworkBody();
        InputStream guarded = StalledBodyGuard.guard(body, Duration.ofMillis(200), "blob");
        for (int i = 0; i < 3; i++) {
            body.arrive(i);
            assertThat(guarded.read()).isEqualTo(i);
            Thread.sleep(400);
        }
        body.arrive(7);
        assertThat(guarded.read()).isEqualTo(7);
        guarded.close();
    }
}
