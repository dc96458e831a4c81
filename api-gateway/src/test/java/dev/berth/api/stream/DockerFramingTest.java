package dev.berth.api.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.stream.StreamRecords;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class DockerFramingTest {
    private static final long NANOS = 1_700_000_000_123_456_789L;

    private static Buffer records() {
        Buffer chunk = Buffer.buffer();
        StreamRecords.append(chunk, StreamRecords.STDOUT, NANOS, Buffer.buffer("out\n"));
        StreamRecords.append(chunk, StreamRecords.STDERR, NANOS, Buffer.buffer("err\n"));
        return chunk;
    }

    @Test
    void withoutATtyEachRecordGetsTheEightByteHeader() {
        Buffer framed = new DockerFraming(false, false).format(records());
        assertThat(framed.getBytes(0, 8)).containsExactly(1, 0, 0, 0, 0, 0, 0, 4);
        assertThat(framed.getString(8, 12)).isEqualTo("out\n");
        assertThat(framed.getBytes(12, 20)).containsExactly(2, 0, 0, 0, 0, 0, 0, 4);
        assertThat(framed.getString(20, 24)).isEqualTo("err\n");
        assertThat(framed.length()).isEqualTo(24);
    }

    @Test
    void aTruncatedOrTrailingRecordIsRefusedWithAndWithoutATty() {
        Buffer truncated = records().getBuffer(0, records().length() - 1);
        Buffer trailing = records().appendBytes(new byte[5]);
        for (boolean tty : new boolean[] {false, true}) {
            assertThatThrownBy(() -> new DockerFraming(tty, false).format(truncated))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
            assertThatThrownBy(() -> new DockerFraming(tty, false).format(trailing))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailing");
        }
    }

    @Test
    void aLargeChunkKeepsEveryByteInOrder() {
        byte[] data = new byte[60_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Buffer chunk = StreamRecords.append(Buffer.buffer(), StreamRecords.STDERR, 0L, data, 0, data.length);
        Buffer framed = new DockerFraming(false, false).format(chunk);
        assertThat(framed.getBytes(0, 8)).containsExactly(2, 0, 0, 0, 0, 0, (byte) 0xea, 0x60);
        assertThat(framed.getBytes(8, framed.length())).isEqualTo(data);
    }

    @Test
    void withATtyTheBytesAreRaw() {
        assertThat(new DockerFraming(true, false).format(records()).toString()).isEqualTo("out\nerr\n");
    }

    @Test
    void timestampsHaveNineFractionDigits() {
        assertThat(new DockerFraming(true, true).format(records()).toString())
                .isEqualTo("2023-11-14T22:13:20.123456789Z out\n2023-11-14T22:13:20.123456789Z err\n");
        assertThat(DockerFraming.timestamp(1_000_000_000L)).isEqualTo("1970-01-01T00:00:01.000000000Z");
    }
}
