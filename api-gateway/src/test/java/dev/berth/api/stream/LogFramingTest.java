package dev.berth.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.stream.StreamRecords;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFramingTest {
    private static final long SECOND = 1_700_000_000_000_000_000L;

    private static void add(Buffer chunk, int stream, long time, String text) {
        StreamRecords.append(chunk, stream, time, Buffer.buffer(text));
    }

    /** The frames of a multiplexed body, as "stream:payload". */
    private static List<String> frames(Buffer body) {
        List<String> frames = new ArrayList<>();
        int p = 0;
        while (p < body.length()) {
            int stream = body.getByte(p);
            int length = body.getInt(p + 4);
            frames.add(stream + ":" + body.getString(p + 8, p + 8 + length));
            p += 8 + length;
        }
        return frames;
    }

    private static Buffer sample() {
        Buffer chunk = Buffer.buffer();
        add(chunk, 1, SECOND, "a\n");
        add(chunk, 1, SECOND + 1, "b\n");
        add(chunk, 2, SECOND + 2, "e\n");
        add(chunk, 1, SECOND + 3, "long ");
        add(chunk, 1, SECOND + 3, "line\n");
        add(chunk, 1, SECOND + 1_000_000_000L, "c\n");
        add(chunk, 1, SECOND + 1_000_000_000L, "d\n");
        return chunk;
    }

    @Test
    void eachRecordIsAFrameByDefault() {
        assertThat(frames(new LogFraming(false, false).format(sample())))
                .containsExactly("1:a\n", "1:b\n", "2:e\n", "1:long ", "1:line\n", "1:c\n", "1:d\n");
    }

    @Test
    void forTheCliWholeLinesOfOneStreamShareAFrameAndPiecesStayAlone() {
        assertThat(frames(new LogFraming(false, false, null, true).format(sample())))
                .containsExactly("1:a\nb\n", "2:e\n", "1:long ", "1:line\n", "1:c\nd\n");
    }

    @Test
    void timestampsAndDetailsStartEachLineOnlyAcrossSecondsAndChunks() {
        LogFraming framing = new LogFraming(false, true, Map.of("k", "v w"), true);
        List<String> got = frames(framing.format(sample()));
        String first = "2023-11-14T22:13:20.000000000Z k=v+w ";
        assertThat(got).containsExactly("1:" + first + "a\n2023-11-14T22:13:20.000000001Z k=v+w b\n",
                "2:2023-11-14T22:13:20.000000002Z k=v+w e\n",
                "1:2023-11-14T22:13:20.000000003Z k=v+w long ", "1:line\n",
                "1:2023-11-14T22:13:21.000000000Z k=v+w c\n2023-11-14T22:13:21.000000000Z k=v+w d\n");
        Buffer open = Buffer.buffer();
        add(open, 1, SECOND + 5, "half ");
        Buffer rest = Buffer.buffer();
        add(rest, 1, SECOND + 5, "done\n");
        assertThat(frames(framing.format(open))).containsExactly("1:2023-11-14T22:13:20.000000005Z k=v+w half ");
        assertThat(frames(framing.format(rest))).containsExactly("1:done\n");
    }

    @Test
    void aTtyLogIsRawBytesWithPrefixes() {
        assertThat(new LogFraming(true, true, null, true).format(sample()).toString()).startsWith(
                "2023-11-14T22:13:20.000000000Z a\n2023-11-14T22:13:20.000000001Z b\n2023-11-14T22:13:20.000000002Z e\n"
                        + "2023-11-14T22:13:20.000000003Z long line\n");
    }
}
