package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.stream.StreamRecords;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamRecordsTest {
    @Test
    void recordsRoundTripInOrder() {
        Buffer chunk = Buffer.buffer();
        StreamRecords.append(chunk, StreamRecords.STDOUT, 42L, "hello\n".getBytes(), 0, 6);
        StreamRecords.append(chunk, StreamRecords.STDERR, 0L, Buffer.buffer("oops"));
        StreamRecords.append(chunk, StreamRecords.STDOUT, 7L, new byte[0], 0, 0);
        List<StreamRecords.Record> records = new ArrayList<>();
        StreamRecords.forEach(chunk, records::add);
        assertThat(records).extracting(StreamRecords.Record::stream).containsExactly(1, 2, 1);
        assertThat(records).extracting(r -> r.payload().toString()).containsExactly("hello\n", "oops", "");
        assertThat(records.get(0).timeNanos()).isEqualTo(42L);
    }

    @Test
    void truncatedChunksAreRefused() {
        Buffer chunk = StreamRecords.append(Buffer.buffer(), 1, 0, Buffer.buffer("abcdef"));
        assertThatThrownBy(() -> StreamRecords.forEach(chunk.slice(0, chunk.length() - 2), r -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void putWritesTheSameBytesAsAppend() {
        byte[] data = "xxhello\nyy".getBytes(StandardCharsets.UTF_8);
        long time = -1_234_567_890_123L;
        Buffer appended = Buffer.buffer();
        StreamRecords.append(appended, StreamRecords.STDERR, time, data, 2, 6);
        StreamRecords.append(appended, StreamRecords.STDOUT, Long.MAX_VALUE, data, 0, 0);
        byte[] chunk = new byte[64];
        int end = StreamRecords.put(chunk, 0, StreamRecords.STDERR, time, data, 2, 6);
        end = StreamRecords.put(chunk, end, StreamRecords.STDOUT, Long.MAX_VALUE, data, 0, 0);
        assertThat(end).isEqualTo(appended.length());
        assertThat(Buffer.buffer().appendBytes(chunk, 0, end)).isEqualTo(appended);
        List<StreamRecords.Record> records = new ArrayList<>();
        StreamRecords.forEach(appended, records::add);
        assertThat(records.get(0).timeNanos()).isEqualTo(time);
        assertThat(records.get(0).payload().toString()).isEqualTo("hello\n");
    }
}
