package dev.berth.bus.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A side that never reads (an attach without stdin, a wait, a log follower) closes once its
 * direction is flushed: with a CANCEL when its peer may never end the other direction, and
 * without one when the peer has ended it already, so nothing reaches an inbox that has closed.
 */
class WriteOnlySideTest {
    private static final StreamSettings SETTINGS = new StreamSettings(8, 32, Duration.ofSeconds(5), 3);

    private Vertx vertx;
    private Context context;
    private final List<StreamFrame.Kind> sentByWriter = new CopyOnWriteArrayList<>();
    private final List<String> closed = new CopyOnWriteArrayList<>();
    private final List<StreamFrame.Kind> deliveredAfterClose = new CopyOnWriteArrayList<>();
    private FramedJobStream reader;
    private FramedJobStream writer;

    @BeforeEach
    void link() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        reader = new FramedJobStream("s", context, SETTINGS, "reader");
        writer = new FramedJobStream("s", context, SETTINGS, "writer");
        reader.connect(new Link("reader", writer, null));
        writer.connect(new Link("writer", reader, sentByWriter));
    }

    @AfterEach
    void close() {
        vertx.close();
    }

    /** Delivers frames on the context, noting those that reach a side that has closed. */
    private final class Link implements FrameLink {
        private final String side;
        private final FramedJobStream peer;
        private final List<StreamFrame.Kind> sent;

        Link(String side, FramedJobStream peer, List<StreamFrame.Kind> sent) {
            this.side = side;
            this.peer = peer;
            this.sent = sent;
        }

        @Override
        public void send(Buffer frame) {
            StreamFrame.Kind kind = StreamFrameCodec.decode(frame).kind();
            if (sent != null) {
                sent.add(kind);
            }
            String peerSide = side.equals("reader") ? "writer" : "reader";
            context.runOnContext(v -> {
                if (closed.contains(peerSide)) {
                    deliveredAfterClose.add(kind);
                }
                peer.receive(frame);
            });
        }

        @Override
        public void close() {
            closed.add(side);
        }
    }

    private void onContext(Runnable action) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            action.run();
            done.complete(null);
        });
        done.get(5, TimeUnit.SECONDS);
    }

    private void settle() throws Exception {
        for (int i = 0; i < 5; i++) {
            onContext(() -> { });
        }
    }

    @Test
    void whenThePeerHasEndedItsDirectionTheWriterClosesWithoutCancel() throws Exception {
        CompletableFuture<String> read = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        onContext(() -> {
            reader.handler(chunk -> text.append(chunk.toString()));
            reader.endHandler(v -> read.complete(text.toString()));
            reader.end();
        });
        settle();
        writer.write(Buffer.buffer("hi\n"));
        writer.end();

        assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo("hi\n");
        settle();
        assertThat(sentByWriter).containsExactly(StreamFrame.Kind.DATA, StreamFrame.Kind.END);
        assertThat(closed).containsExactlyInAnyOrder("reader", "writer");
        assertThat(deliveredAfterClose).isEmpty();
    }

    @Test
    void whenThePeerMayNeverEndTheWriterSaysItLeftWithCancel() throws Exception {
        CompletableFuture<String> read = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        onContext(() -> {
            reader.handler(chunk -> text.append(chunk.toString()));
            reader.endHandler(v -> read.complete(text.toString()));
        });
        writer.write(Buffer.buffer("line\n"));
        writer.end();

        assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo("line\n");
        settle();
        assertThat(sentByWriter).containsExactly(StreamFrame.Kind.DATA, StreamFrame.Kind.END, StreamFrame.Kind.CANCEL);
        assertThat(closed).contains("writer");
    }
}
