package dev.berth.exec.attach;

import dev.berth.bus.stream.BlockingStreams;
import dev.berth.bus.stream.JobStream;
import dev.berth.bus.stream.StreamRecords;
import dev.berth.host.SeqPacketSocket;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
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

    public AttachSession(JobStream stream, boolean stdin, boolean stdout, boolean stderr, boolean stdinOnce, boolean tty,
            Executor executor) {
        this.stream = stream;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.closeStdinAtEof = stdinOnce && !tty;
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
        socket = SeqPacketSocket.connect(attachSocket);
        connected.countDown();
        executor.execute(this::pumpOutput);
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

    private void pumpOutput() {
        byte[] packet = new byte[65536];
        try (OutputStream out = BlockingStreams.output(stream)) {
            while (true) {
                int n = socket.receive(packet);
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
        } catch (IOException e) {
            LOG.debug("attach output ended: {}", e.toString());
        } finally {
            finished.set(true);
            socket.close();
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
                if (n > 0) {
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
