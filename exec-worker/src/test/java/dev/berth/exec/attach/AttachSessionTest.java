package dev.berth.exec.attach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.stream.FrameLink;
import dev.berth.bus.stream.FramedJobStream;
import dev.berth.bus.stream.StreamRecords;
import dev.berth.bus.stream.StreamSettings;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How an attach session turns the packets of a process's stdio into chunks of stream records. */
class AttachSessionTest {
    private Vertx vertx;
    private ExecutorService executor;
    private FramedJobStream worker;
    private FramedJobStream client;
    private final List<Buffer> chunks = new ArrayList<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    @BeforeEach
    void link() {
        vertx = Vertx.vertx();
        executor = Executors.newCachedThreadPool();
        Context context = vertx.getOrCreateContext();
        worker = new FramedJobStream("s", context, StreamSettings.DEFAULTS, "worker");
        client = new FramedJobStream("s", context, StreamSettings.DEFAULTS, "client");
        worker.connect(link(context, client));
        client.connect(link(context, worker));
        client.handler(chunks::add);
        client.endHandler(v -> ended.complete(null));
    }

    private static FrameLink link(Context context, FramedJobStream peer) {
        return new FrameLink() {
            @Override
            public void send(Buffer frame) {
                context.runOnContext(v -> peer.receive(frame));
            }

            @Override
            public void close() {
            }
        };
    }

    @AfterEach
    void close() {
        executor.shutdownNow();
        vertx.close();
    }

    /**
     * Packets queued before the session reads them, then the end. A gap ({@link #notYet}) is a
     * moment when the next packet has not arrived: receiveIfReady says 0 once, a blocking
     * receive waits it out.
     */
    private static final class QueuedStdio implements ProcessStdio {
        private static final byte[] GAP = new byte[0];
        private final Deque<byte[]> packets = new ArrayDeque<>();
        int blockingReceives;
        int fullPacket;

        QueuedStdio notYet() {
            packets.add(GAP);
            return this;
        }

        QueuedStdio add(int stream, String text) {
            return add(stream, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        QueuedStdio add(int stream, byte[] data) {
            byte[] packet = new byte[data.length + 1];
            packet[0] = (byte) stream;
            System.arraycopy(data, 0, packet, 1, data.length);
            packets.add(packet);
            return this;
        }

        @Override
        public synchronized int receive(byte[] packet) {
            blockingReceives++;
            while (packets.peek() == GAP) {
                packets.poll();
            }
            return receiveIfReady(packet);
        }

        @Override
        public synchronized int receiveIfReady(byte[] packet) {
            byte[] next = packets.poll();
            if (next == null) {
                return -1;
            }
            if (next == GAP) {
                return 0;
            }
            System.arraycopy(next, 0, packet, 0, next.length);
            return next.length;
        }

        @Override
        public int fullPacket() {
            return fullPacket;
        }

        @Override
        public void send(byte[] data, int length) {
        }

        @Override
        public void shutdownOutput() {
        }

        @Override
        public void abort() {
        }

        @Override
        public void close() {
        }
    }

    private List<String> records() {
        List<String> records = new ArrayList<>();
        for (Buffer chunk : chunks) {
            StreamRecords.forEach(chunk, r -> records.add(r.stream() + ":" + r.payload()));
        }
        return records;
    }

    @Test
    void queuedPacketsShareAChunkInOrderAndUnwantedStreamsAreDropped() throws Exception {
        QueuedStdio stdio = new QueuedStdio().add(ProcessStdio.STDOUT, "a\n").add(ProcessStdio.STDERR, "e\n")
                .add(ProcessStdio.STDOUT, "b\n").add(1, "not output");
        AttachSession session = new AttachSession(worker, false, true, false, false, executor);
        session.connect(stdio);
        ended.get(10, TimeUnit.SECONDS);
        // The stderr packet between them is not sent, so the two stdout packets are one record.
        assertThat(records()).containsExactly("1:a\nb\n");
        assertThat(chunks).hasSize(1);
        assertThat(stdio.blockingReceives).isEqualTo(1);
    }

    @Test
    void consecutivePacketsOfOneStreamShareARecordAndAChangeOfStreamStartsOne() throws Exception {
        QueuedStdio stdio = new QueuedStdio().add(ProcessStdio.STDOUT, "a").add(ProcessStdio.STDOUT, "b\n")
                .add(ProcessStdio.STDERR, "e").add(ProcessStdio.STDERR, "f\n").add(ProcessStdio.STDOUT, "c\n");
        new AttachSession(worker, false, true, true, false, executor).connect(stdio);
        ended.get(10, TimeUnit.SECONDS);
        assertThat(records()).containsExactly("1:ab\n", "2:ef\n", "1:c\n");
        assertThat(chunks).hasSize(1);
    }

    @Test
    void afterAFullPacketTheSessionWaitsForTheWritersNextOneBeforeSending() throws Exception {
        byte[] full = new byte[8192];
        java.util.Arrays.fill(full, (byte) 'x');
        QueuedStdio stdio = new QueuedStdio().add(ProcessStdio.STDOUT, full).notYet().add(ProcessStdio.STDOUT, "tail\n");
        stdio.fullPacket = full.length + 1;
        new AttachSession(worker, false, true, true, false, executor).connect(stdio);
        ended.get(10, TimeUnit.SECONDS);
        assertThat(chunks).hasSize(1);
        assertThat(records()).hasSize(1);
        assertThat(records().get(0)).endsWith("xtail\n").hasSize(2 + 8192 + 5);
        assertThat(stdio.blockingReceives).isEqualTo(1);
    }

    @Test
    void aPacketThatDidNotFillTheWritersBufferLeavesAtOnce() throws Exception {
        QueuedStdio stdio = new QueuedStdio().add(ProcessStdio.STDOUT, "prompt> ").notYet().add(ProcessStdio.STDOUT, "answer\n");
        stdio.fullPacket = 8192 + 1;
        new AttachSession(worker, false, true, true, false, executor).connect(stdio);
        ended.get(10, TimeUnit.SECONDS);
        assertThat(chunks).hasSize(2);
        assertThat(records()).containsExactly("1:prompt> ", "1:answer\n");
        assertThat(stdio.blockingReceives).isEqualTo(2);
    }

    @Test
    void theWaitForMoreIsBounded() throws Exception {
        byte[] full = new byte[8192];
        QueuedStdio stdio = new QueuedStdio().add(ProcessStdio.STDOUT, full);
        for (int i = 0; i < AttachSession.GATHER_WAITS; i++) {
            stdio.notYet();
        }
        stdio.notYet().add(ProcessStdio.STDOUT, "late\n");
        stdio.fullPacket = full.length + 1;
        new AttachSession(worker, false, true, true, false, executor).connect(stdio);
        ended.get(10, TimeUnit.SECONDS);
        // The chunk left after GATHER_WAITS empty looks; the late packet travels in the next.
        assertThat(chunks).hasSize(2);
        assertThat(stdio.blockingReceives).isEqualTo(2);
    }

    @Test
    void aPacketThatDoesNotFitStartsTheNextChunk() throws Exception {
        byte[] big = new byte[30_000];
        java.util.Arrays.fill(big, (byte) 'x');
        QueuedStdio stdio = new QueuedStdio();
        for (int i = 0; i < 5; i++) {
            stdio.add(i % 2 == 0 ? ProcessStdio.STDOUT : ProcessStdio.STDERR, big);
        }
        new AttachSession(worker, false, true, true, false, executor).connect(stdio);
        ended.get(10, TimeUnit.SECONDS);
        assertThat(records()).hasSize(5);
        assertThat(records().get(1)).startsWith("2:xxx");
        assertThat(records().get(2)).startsWith("1:xxx");
        // Two 30,013-byte records fit a 64 KiB chunk; a third does not.
        assertThat(chunks).extracting(Buffer::length).containsExactly(60_026, 60_026, 30_013);
    }

    /** A process's stdin that records what the session sends and blocks for output until aborted. */
    private static final class InteractiveStdio implements ProcessStdio {
        final StringBuilder sent = new StringBuilder();
        final java.util.concurrent.CountDownLatch aborted = new java.util.concurrent.CountDownLatch(1);

        @Override
        public int receive(byte[] packet) throws java.io.IOException {
            try {
                aborted.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return -1;
        }

        @Override
        public int receiveIfReady(byte[] packet) {
            return aborted.getCount() == 0 ? -1 : 0;
        }

        @Override
        public synchronized void send(byte[] data, int length) {
            sent.append(new String(data, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1));
        }

        @Override
        public void shutdownOutput() {
        }

        @Override
        public void abort() {
            aborted.countDown();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theDetachKeysEndTheSessionAndAnnounceTheDetachOnce() throws Exception {
        InteractiveStdio stdio = new InteractiveStdio();
        java.util.concurrent.atomic.AtomicInteger announced = new java.util.concurrent.atomic.AtomicInteger();
        AttachSession session = new AttachSession(worker, true, true, false, false, executor);
        session.detachOn(DetachKeys.parse(null), announced::incrementAndGet);
        session.connect(stdio);
        vertx.getOrCreateContext().runOnContext(v -> client.write(Buffer.buffer("ls\n\u0010\u0011after")));
        ended.get(10, TimeUnit.SECONDS);
        assertThat(stdio.aborted.getCount()).isZero();
        synchronized (stdio) {
            assertThat(stdio.sent.toString()).isEqualTo("ls\n");
        }
        assertThat(announced).hasValue(1);
    }

    @Test
    void anInputThatEndsWithoutTheKeysIsNoDetach() throws Exception {
        InteractiveStdio stdio = new InteractiveStdio();
        java.util.concurrent.atomic.AtomicInteger announced = new java.util.concurrent.atomic.AtomicInteger();
        AttachSession session = new AttachSession(worker, true, true, false, false, executor);
        session.detachOn(DetachKeys.parse(null), announced::incrementAndGet);
        session.connect(stdio);
        vertx.getOrCreateContext().runOnContext(v -> {
            client.write(Buffer.buffer("ls\n\u0010"));
            client.end();
        });
        ended.get(10, TimeUnit.SECONDS);
        synchronized (stdio) {
            assertThat(stdio.sent.toString()).isEqualTo("ls\n");
        }
        assertThat(announced).hasValue(0);
    }
}
