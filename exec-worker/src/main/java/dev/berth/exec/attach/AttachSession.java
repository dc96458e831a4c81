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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client attached to a container: conmon's attach socket on one side, the job stream towards
 * the gateway on the other. Output packets from conmon ({stream byte, data}) become stream
 * records; the client's input goes to the container's stdin.
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
    private static final int CONMON_STDOUT = 2;
    private static final int CONMON_STDERR = 3;

    private final JobStream stream;
    private final boolean stdin;
    private final boolean stdout;
    private final boolean stderr;
    private final boolean closeStdinAtEof;
    private final Executor executor;
    private final CountDownLatch connected = new CountDownLatch(1);
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile SeqPacketSocket socket;
    private volatile DetachKeys detachKeys;
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
        SeqPacketSocket s = SeqPacketSocket.connect(attachSocket);
        socket = s;
        connected.countDown();
        try {
            executor.execute(this::pumpOutput);
        } catch (RuntimeException e) {
            // No thread will ever read the socket: the client must not wait for output that cannot come.
            s.close();
            failStream("the attach output could not be started: " + e, e);
            throw e;
        }
    }

    /**
     * Holds the end of the client's stream, once conmon's socket has closed, until {@code gate}
     * completes; a non-null value is written as a last line on stdout first (dockerd writes an
     * exec's start failure that way). Set before {@link #connect}.
     */
    public void endAfter(CompletableFuture<String> gate) {
        this.endGate = gate;
    }

    /**
     * Ends a session that never connected with a last line on stdout (why its process did not
     * run). A connected session ends when conmon closes its socket, with the line of
     * {@link #endAfter}.
     */
    public void finishWith(String line) {
        if (socket == null && finished.compareAndSet(false, true)) {
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
     * on it the client's stream ends and the process runs on. Set before {@link #connect}.
     */
    public void detachOn(DetachKeys keys) {
        this.detachKeys = keys;
    }

    /** The client typed the detach keys: it leaves without waiting for the process's end. */
    private void detach() {
        detached = true;
        LOG.debug("client detached");
        finish();
    }

    /** The container is gone (or never started): end the client's stream. */
    public void finish() {
        if (finished.compareAndSet(false, true)) {
            connected.countDown();
            SeqPacketSocket s = socket;
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
            socket.close();
        }
    }

    /** Ends the client's stream once the socket has ended; an unchecked failure leaves that to the caller. */
    private void copyOutput() {
        byte[] packet = new byte[65536];
        OutputStream out = BlockingStreams.output(stream);
        try {
            while (true) {
                int n = receive(packet);
                if (n < 0) {
                    break;
                }
                if (n < 2) {
                    continue;
                }
                int source = packet[0];
                int target = source == CONMON_STDERR ? StreamRecords.STDERR : StreamRecords.STDOUT;
                if ((target == StreamRecords.STDOUT && !stdout) || (target == StreamRecords.STDERR && !stderr)
                        || (source != CONMON_STDOUT && source != CONMON_STDERR)) {
                    continue;
                }
                Buffer record = StreamRecords.append(Buffer.buffer(n + 16), target, 0L, packet, 1, n - 1);
                out.write(record.getBytes());
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

    /** Ends the client's stream with an error (a no-op once it has ended). */
    private void failStream(String message, Throwable cause) {
        finished.set(true);
        connected.countDown();
        stream.fail(EngineException.internal(message, cause));
    }

    /** A packet from conmon; -1 once the socket ends, however it ends (conmon gone, reset). */
    private int receive(byte[] packet) {
        try {
            return socket.receive(packet);
        } catch (IOException e) {
            LOG.debug("attach socket ended: {}", e.toString());
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
                SeqPacketSocket s = socket;
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
            SeqPacketSocket s = socket;
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
}
