package dev.berth.bus.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamFrameCodecTest {
    private static final String ID = "4a8c99a8-4461-4a59-91d3-54bd6884cd2d";

    @Test
    void everyKindOfFrameSurvivesTheRoundTrip() {
        List<StreamFrame> frames = List.of(
                StreamFrame.data(ID, 0, Buffer.buffer("chunk")),
                StreamFrame.data(ID, 1, Buffer.buffer()),
                StreamFrame.credit(ID, 2, 8),
                StreamFrame.end(ID, 3),
                StreamFrame.fail(ID, 4, new EngineException(ErrorKind.NOT_FOUND, "No such image: gone ✓")),
                StreamFrame.cancel(ID, 5, null),
                StreamFrame.cancel(ID, 6, new EngineException(ErrorKind.UNAVAILABLE, "the peer is gone")),
                StreamFrame.ping(ID, Long.MAX_VALUE));
        for (StreamFrame frame : frames) {
            StreamFrame decoded = StreamFrameCodec.decode(StreamFrameCodec.encode(frame));
            assertThat(decoded).as(frame.kind().name()).isEqualTo(frame);
        }
    }

    @Test
    void theBytesAreFixedByTheFormat() {
        Buffer bytes = StreamFrameCodec.encode(StreamFrame.credit("s", 7, 3));
        assertThat(bytes.getBytes()).containsExactly(1, 2, 0, 1, 's', 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 3);
    }

    @Test
    void aFailureKeepsItsKindEvenWhereTwoKindsShareAnHttpStatus() {
        StreamFrame frame = StreamFrame.fail(ID, 0, new EngineException(ErrorKind.DEADLINE_EXCEEDED, "late"));
        assertThat(StreamFrameCodec.decode(StreamFrameCodec.encode(frame)).error().kind()).isEqualTo(ErrorKind.DEADLINE_EXCEEDED);
    }

    @Test
    void malformedFramesAreRefused() {
        Buffer good = StreamFrameCodec.encode(StreamFrame.data(ID, 0, Buffer.buffer("chunk")));
        assertThatThrownBy(() -> StreamFrameCodec.decode(good.slice(0, good.length() - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> StreamFrameCodec.decode(good.copy().appendByte((byte) 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailing");
        Buffer wrongVersion = good.copy();
        wrongVersion.setByte(0, (byte) 9);
        assertThatThrownBy(() -> StreamFrameCodec.decode(wrongVersion)).hasMessageContaining("version");
        Buffer wrongKind = good.copy();
        wrongKind.setByte(1, (byte) 42);
        assertThatThrownBy(() -> StreamFrameCodec.decode(wrongKind)).hasMessageContaining("kind");
        Buffer hugeLength = Buffer.buffer().appendByte((byte) 1).appendByte((byte) 1).appendShort((short) 1).appendString("s")
                .appendLong(0).appendInt(Integer.MAX_VALUE);
        assertThatThrownBy(() -> StreamFrameCodec.decode(hugeLength)).isInstanceOf(IllegalArgumentException.class);
        Buffer noCredit = Buffer.buffer().appendByte((byte) 1).appendByte((byte) 2).appendShort((short) 1).appendString("s")
                .appendLong(0).appendInt(0);
        assertThatThrownBy(() -> StreamFrameCodec.decode(noCredit)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDataFrameCarriesAtMostItsLimit() {
        assertThatThrownBy(() -> StreamFrame.data(ID, 0, Buffer.buffer(new byte[StreamFrame.MAX_DATA + 1])))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
