package dev.berth.exec.attach;

import dev.berth.bus.EngineException;
import dev.berth.bus.stream.BlockingStreams;
import dev.berth.bus.stream.JobStream;
import dev.berth.bus.stream.StreamRecords;
import dev.berth.host.SeqPacketSocket;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client attached to a process: its stdio on one side (conmon's attach socket, or the pipes of
 * an exec the worker runs itself), the job stream towards the gateway on the other. Output packets
 * ({stream byte, data}) become stream records; the client's input goes to the process's stdin.
 *
 * <p>When the client's input ends: with StdinOnce and no TTY the container's stdin is closed (so
 * `echo x | docker run -i busybox cat` ends); otherwise the session ends, as in dockerd. A
 * session may be made before the container runs; it then waits for {@link #connect}, which the
 * start of the container calls before the process runs, so no output is lost.
 */
public final class AttachSession {
    private static final Logger LOG = LoggerFactory.getLogger(AttachSession.class);
    /** conmon reads at most 32 KiB - 1 per packet and drops the rest. */
    private static final int MAX_STDIN_PACKET = 16 * 1024;
    /** How long to wait for more of a fast writer's output before sending a chunk. */
    static final long GATHER_NANOS = 1_000_000L;
    /** How many such waits one chunk may take: its output is held at most that many times GATHER_NANOS. */
    static final int GATHER_WAITS = 2;

    private final JobStream stream;
    private final boolean stdin;
    private final boolean stdout;
    private final boolean stderr;
    private final boolean closeStdinAtEof;
    private final Executor executor;
    private final CountDownLatch connected = new CountDownLatch(1);
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile ProcessStdio stdio;
    private volatile DetachKeys detachKeys;
    private volatile Runnable onDetach;
    private volatile boolean detached;
    /** What must happen before the client's stream ends (an exec's exit code recorded), and a last line. */
    private volatile CompletableFuture<String> endGate = CompletableFuture.completedFuture(null);

    public AttachSession(JobStream stream, boolean stdin, boolean stdout, boolean stderr, boolean stdinOnce, boolean tty,
            Executor executor) {
        this(stream, stdin, stdout, stderr, stdinOnce && !tty, executor);
    }

    /**
     * A session whose end of input closes the process's stdin or ends the session, as
     * {@code closeStdinAtEof} says; an exec always closes its process's stdin (dockerd does).
     */
    public AttachSession(JobStream stream, boolean stdin, boolean stdout, boolean stderr, boolean closeStdinAtEof,
            Executor executor) {
        this.stream = stream;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.closeStdinAtEof = closeStdinAtEof;
        this.executor = executor;
        stream.cancelHandler(v -> finish());
        if (stdin) {
            executor.execute(this::pumpInput);
        }
    }

    public boolean isFinished() {
        return finished.get();
    }

    /** Connects to conmon's attach socket and starts copying output. */
    public void connect(Path attachSocket) throws IOException {
        if (finished.get()) {
            return;
        }
        connect(new ConmonSocket(SeqPacketSocket.connect(attachSocket)));
    }

    /** Starts copying the output of a process whose stdio the caller holds. */
    public void connect(ProcessStdio processStdio) {
        if (finished.get()) {
            processStdio.abort();
            return;
        }
        stdio = processStdio;
        connected.countDown();
        try {
            executor.execute(this::pumpOutput);
        } catch (RuntimeException e) {
            // No thread will ever read the output: the client must not wait for output that cannot come.
            processStdio.close();
            failStream("the attach output could not be started: " + e, e);
            throw e;
        }
    }

    /**
     * Holds the end of the client's stream, once the process's output has ended, until {@code gate}
     * completes; a non-null value is written as a last line on stdout first (dockerd writes an
     * exec's start failure that way). Set before {@link #connect}.
     */
    public void endAfter(CompletableFuture<String> gate) {
        this.endGate = gate;
    }

    /**
     * Ends a session that never connected with a last line on stdout (why its process did not
     * run). A connected session ends when the process's output ends, with the line of
     * {@link #endAfter}.
     */
    public void finishWith(String line) {
        if (stdio == null && finished.compareAndSet(false, true)) {
            connected.countDown();
            byte[] text = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (stdout) {
                stream.write(StreamRecords.append(Buffer.buffer(text.length + 16), StreamRecords.STDOUT, 0L, text, 0, text.length));
            }
            stream.end();
        }
    }

    /**
     * Watches the client's input for a detach sequence (dockerd does so for TTY sessions only):
     * on it the client's stream ends, the process runs on and {@code announce} runs (it publishes
     * dockerd's detach or exec_detach event). Set before {@link #connect}.
     */
    public void detachOn(DetachKeys keys, Runnable announce) {
        this.onDetach = announce;
        this.detachKeys = keys;
    }

    /** The client typed the detach keys: it leaves without waiting for the process's end. */
    private void detach() {
        detached = true;
        LOG.debug("client detached");
        finish();
        try {
            onDetach.run();
        } catch (RuntimeException e) {
            // The client has left as it asked; only the event is missing.
            LOG.warn("the detach event was not published", e);
        }
    }

    /** The container is gone (or never started): end the client's stream. */
    public void finish() {
        if (finished.compareAndSet(false, true)) {
            connected.countDown();
            ProcessStdio s = stdio;
            if (s != null) {
                s.abort();
            } else {
                stream.end();
            }
        }
    }

    /**
     * Copies conmon's packets to the client until the socket ends. An unexpected failure fails
     * the client's stream with its reason rather than ending it as if the output were complete.
     */
    private void pumpOutput() {
        try {
            copyOutput();
        } catch (RuntimeException | Error e) {
            LOG.error("attach output failed", e);
            failStream("the attach output failed: " + e, e);
        } finally {
            finished.set(true);
            stdio.close();
        }
    }

    /**
     * Ends the client's stream once the output has ended; an unchecked failure leaves that to the
     * caller. The packets conmon has queued by the time one arrives (at most 8 KiB each) go out
     * together in one chunk, and consecutive packets of one stream as one record (so one frame):
     * a fast writer's output then crosses the bus in 64 KiB chunks rather than one message per
     * packet. When the last packet filled conmon's buffer (the writer has more) and none is queued
     * yet, the session waits {@link #GATHER_NANOS} for more before sending, at most
     * {@link #GATHER_WAITS} times a chunk: without that wait, this thread took each packet as it
     * came, and every 8 KiB packet cost a wake-up here, a bus message, a wake-up of the event
     * loop, a write to the client and a wake-up of the client (design.md, "docker logs at 10x").
     * A packet that did not fill the buffer (a slow writer, the end of a burst, an interactive
     * line) leaves at once.
     */
    private void copyOutput() {
        // One packet always fits an empty chunk as one record.
        byte[] packet = new byte[BlockingStreams.CHUNK - StreamRecords.HEADER + 1];
        byte[] chunk = new byte[BlockingStreams.CHUNK];
        OutputStream out = BlockingStreams.output(stream);
        int full = stdio.fullPacket();
        try {
            int n = receive(packet);
            while (n >= 0) {
                Chunk built = new Chunk(chunk);
                addRecord(packet, n, built);
                boolean more = full > 0 && n >= full;
                boolean carried = false;
                int waits = 0;
                while (true) {
                    n = receiveIfReady(packet);
                    if (n == 0 && more && waits < GATHER_WAITS && built.filled + StreamRecords.HEADER + full <= chunk.length) {
                        waits++;
                        LockSupport.parkNanos(GATHER_NANOS);
                        continue;
                    }
                    if (n <= 0) {
                        break;
                    }
                    if (built.filled + StreamRecords.HEADER + n - 1 > chunk.length) {
                        carried = true; // it starts the next chunk
                        break;
                    }
                    addRecord(packet, n, built);
                    more = full > 0 && n >= full;
                }
                if (built.filled > 0) {
                    out.write(chunk, 0, built.filled);
                }
                if (n == 0 && !carried) {
                    n = receive(packet);
                }
            }
            String last = detached ? null : awaitGate();
            if (last != null && stdout) {
                byte[] text = last.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(StreamRecords.append(Buffer.buffer(text.length + 16), StreamRecords.STDOUT, 0L, text, 0, text.length)
                        .getBytes());
            }
        } catch (IOException e) {
            LOG.debug("attach output ended: {}", e.toString());
        }
        stream.end();
    }

    /** A chunk being filled: its length, and where its last record starts (-1: none yet). */
    private static final class Chunk {
        final byte[] bytes;
        int filled;
        int lastRecord = -1;

        Chunk(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    /**
     * Adds the packet's data to the chunk, unless the client did not ask for that stream or it is
     * no output: to the last record when that is of the same stream (attach output has no line
     * or time to keep apart, and dockerd's frames are whatever its copier read), else as a new
     * record.
     */
    private void addRecord(byte[] packet, int n, Chunk chunk) {
        if (n < 2) {
            return;
        }
        int source = packet[0];
        int target = source == ProcessStdio.STDERR ? StreamRecords.STDERR : StreamRecords.STDOUT;
        if ((target == StreamRecords.STDOUT && !stdout) || (target == StreamRecords.STDERR && !stderr)
                || (source != ProcessStdio.STDOUT && source != ProcessStdio.STDERR)) {
            return;
        }
        byte[] bytes = chunk.bytes;
        int last = chunk.lastRecord;
        if (last >= 0 && bytes[last] == target) {
            int length = ((bytes[last + 9] & 0xff) << 24) | ((bytes[last + 10] & 0xff) << 16)
                    | ((bytes[last + 11] & 0xff) << 8) | (bytes[last + 12] & 0xff);
            length += n - 1;
            bytes[last + 9] = (byte) (length >>> 24);
            bytes[last + 10] = (byte) (length >>> 16);
            bytes[last + 11] = (byte) (length >>> 8);
            bytes[last + 12] = (byte) length;
            System.arraycopy(packet, 1, bytes, chunk.filled, n - 1);
            chunk.filled += n - 1;
            return;
        }
        chunk.lastRecord = chunk.filled;
        chunk.filled = StreamRecords.put(bytes, chunk.filled, target, 0L, packet, 1, n - 1);
    }

    /** A packet that has already arrived, 0 when none has, -1 once the output has ended. */
    private int receiveIfReady(byte[] packet) {
        try {
            return stdio.receiveIfReady(packet);
        } catch (IOException e) {
            LOG.debug("attach output ended: {}", e.toString());
            return -1;
        }
    }

    /** Ends the client's stream with an error (a no-op once it has ended). */
    private void failStream(String message, Throwable cause) {
        finished.set(true);
        connected.countDown();
        stream.fail(EngineException.internal(message, cause));
    }

    /** A packet of output; -1 once the output ends, however it ends (conmon gone, reset). */
    private int receive(byte[] packet) {
        try {
            return stdio.receive(packet);
        } catch (IOException e) {
            LOG.debug("attach output ended: {}", e.toString());
            return -1;
        }
    }

    private String awaitGate() {
        try {
            return endGate.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return null;
        }
    }

    private void pumpInput() {
        try (InputStream in = BlockingStreams.input(stream)) {
            connected.await();
            byte[] buffer = new byte[MAX_STDIN_PACKET];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                ProcessStdio s = stdio;
                if (finished.get() || s == null) {
                    return;
                }
                if (n > 0 && detachKeys != null) {
                    DetachKeys.Scan scan = detachKeys.scan(buffer, n);
                    if (scan.pass().length > 0) {
                        s.send(scan.pass(), scan.pass().length);
                    }
                    if (scan.detach()) {
                        detach();
                        return;
                    }
                } else if (n > 0) {
                    s.send(buffer, n);
                }
            }
            ProcessStdio s = stdio;
            if (s != null && !finished.get()) {
                if (closeStdinAtEof) {
                    s.shutdownOutput();
                } else {
                    finish();
                }
            }
        } catch (IOException e) {
            LOG.debug("attach input ended: {}", e.toString());
            if (stream.isCancelled()) {
                // The client left: reading the stream took its cancel handler, so end here.
                finish();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("attach input failed", e);
            finish();
        }
    }

    /** conmon's attach socket: its packets already carry conmon's stream byte. */
    private static final class ConmonSocket implements ProcessStdio {
        /** conmon reads the container's pipe 8 KiB at a time and sends what it read behind its stream byte. */
        private static final int CONMON_FULL_PACKET = 8192 + 1;

        private final SeqPacketSocket socket;

        ConmonSocket(SeqPacketSocket socket) {
            this.socket = socket;
        }

        @Override
        public int receive(byte[] packet) throws IOException {
            return socket.receive(packet);
        }

        @Override
        public int receiveIfReady(byte[] packet) throws IOException {
            return socket.receiveNow(packet);
        }

        @Override
        public int fullPacket() {
            return CONMON_FULL_PACKET;
        }

        @Override
        public void send(byte[] data, int length) throws IOException {
            socket.send(data, length);
        }

        @Override
        public void shutdownOutput() {
            socket.shutdownOutput();
        }

        @Override
        public void abort() {
            socket.abort();
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
