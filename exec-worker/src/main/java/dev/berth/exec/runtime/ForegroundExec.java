package dev.berth.exec.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.JobCodec;
import dev.berth.exec.attach.ProcessStdio;
import dev.berth.host.FifoReader;
import dev.berth.host.FileOps;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process run attached and without a terminal in a running container, by a launcher in the
 * foreground with no conmon between: the worker holds its stdio (two FIFOs it reads, a pipe it
 * writes) and the launcher's exit status is the process's (128 + signal after a signal). The
 * launcher is Berth's native helper ({@link #viaHelper}, design.md "exec without runc") or, where
 * the helper cannot serve the container, `runtime exec` ({@link #viaRuntime}). Either saves
 * conmon's start, its double fork, its attach socket and the FIFO handshakes of
 * {@link ConmonExec}; TTY, detached and health-probe execs keep conmon (design.md, "exec without
 * conmon").
 *
 * <p>In the foreground the runtime copies the process's output through pipes of its own and
 * waits for them to close before it exits, which a background child of the process can put off
 * for ever. So the exit status is taken from the runtime's debug log ("process exited", written
 * the moment it reaps the process), the output is read until the runtime closes the FIFOs, and
 * a runtime still waiting on a background child's pipe a grace period after the exit is ended:
 * the exec ends with its process, as under conmon. The helper gives the process the FIFOs
 * themselves and exits when the process does; output still held open by a background child is
 * read while it comes and left once the helper has gone and the FIFO is quiet.
 *
 * <p>The launcher writes its own error (a command not found, a bad user) on the stderr it gives
 * the process, and exits 255. Output on stderr is therefore held until the launcher's pid file
 * shows that the process runs; when the launcher ends without one, what it wrote is its error,
 * which {@link #awaitExit} throws rather than the client seeing it as the process's output.
 */
public final class ForegroundExec implements ProcessStdio {
    private static final Logger LOG = LoggerFactory.getLogger(ForegroundExec.class);
    private static final int RUNTIME_FAILED = 255;
    /**
     * How long a blocked read or queue offer waits before it looks again at its conditions (the
     * runtime's end for the log, an abort for the queue). Output and the normal end (every writer
     * gone) wake a reader at once.
     */
    private static final long EXIT_CHECK_MILLIS = 100;
    /** How often held stderr looks for the pid file again (only between the process's start and the pid file). */
    private static final long START_CHECK_MILLIS = 2;
    /** How long the runtime may take to exit once the process's output has ended. */
    private static final long RUNTIME_GRACE_MILLIS = 1000;
    private static final int CHUNK = 32 * 1024;
    private static final byte[] END = new byte[0];
    /** The exec's FIFOs in its directory, as {@link NativeExecLaunch} names them to the helper. */
    static final String STDOUT_FIFO = "stdout";
    static final String STDERR_FIFO = "stderr";

    private final Process runtime;
    private final Path pidFile;
    private final CompletableFuture<Integer> reportedExit = new CompletableFuture<>();
    private final OutputStream stdin;
    private final BlockingQueue<byte[]> packets = new ArrayBlockingQueue<>(16);
    private final AtomicInteger openStreams = new AtomicInteger(2);
    private final ByteArrayOutputStream heldStderr = new ByteArrayOutputStream();
    private final AtomicBoolean endingRuntime = new AtomicBoolean();
    private volatile boolean aborted;
    private volatile boolean started;

    private ForegroundExec(Process runtime, Path pidFile, boolean stdin) {
        this.runtime = runtime;
        this.pidFile = pidFile;
        this.stdin = stdin ? runtime.getOutputStream() : null;
    }

    /**
     * Runs the process described by {@code processSpec} in the container with `runtime exec`;
     * its output is read on threads of {@code executor} from now on, so nothing written before
     * the caller reads is lost (the FIFOs hold it).
     */
    public static ForegroundExec viaRuntime(OciRuntime oci, String containerId, Path directory, Path processSpec, boolean stdin,
            Executor executor) throws IOException {
        Files.createDirectories(directory);
        Path logFifo = directory.resolve("runtime-log");
        FileOps.linux().mkfifo(logFifo, 0600);
        FifoReader log = FifoReader.open(logFifo);
        Path pidFile = directory.resolve("pidfile");
        List<String> command = List.of(oci.binary(), "--root", oci.root().toString(), "--debug", "--log", logFifo.toString(),
                "--log-format", "json", "exec", "--pid-file", pidFile.toString(), "--process", processSpec.toString(), containerId);
        ForegroundExec exec;
        try {
            exec = launch(command, directory, stdin, executor);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        executor.execute(() -> exec.readLog(log));
        return exec;
    }

    /**
     * Runs the process described by {@code launchFile} (see {@link NativeExecLaunch}, which names
     * this directory's FIFOs) with Berth's exec helper: one waiting in standby mode is handed the
     * launch file's path, opens the FIFOs itself, and writes the pid file into {@code directory}.
     */
    public static ForegroundExec viaHelper(NativeExecHelper helper, Path launchFile, Path directory, boolean stdin,
            Executor executor) throws IOException {
        return start(directory, stdin, executor, () -> {
            Process process = helper.take(executor);
            OutputStream control = process.getOutputStream();
            control.write((launchFile + "\n").getBytes(StandardCharsets.UTF_8));
            control.flush();
            if (!stdin) {
                control.close();
            }
            return process;
        });
    }

    /** Starts a launcher that writes into the FIFOs of {@code directory}, which are open for reading first. */
    private interface Launcher {
        Process start() throws IOException;
    }

    private static ForegroundExec start(Path directory, boolean stdin, Executor executor, Launcher launcher) throws IOException {
        List<FifoReader> readers = openFifos(directory);
        ForegroundExec exec;
        try {
            exec = new ForegroundExec(launcher.start(), directory.resolve("pidfile"), stdin);
        } catch (IOException | RuntimeException e) {
            readers.forEach(FifoReader::close);
            throw e;
        }
        executor.execute(() -> exec.pump(readers.get(0), STDOUT));
        executor.execute(() -> exec.pump(readers.get(1), STDERR));
        return exec;
    }

    /**
     * The exec's two FIFOs in {@code directory}, made and opened for reading: their writers
     * (the runtime, or the helper) never wait on the open.
     */
    private static List<FifoReader> openFifos(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path stdoutFifo = directory.resolve(STDOUT_FIFO);
        Path stderrFifo = directory.resolve(STDERR_FIFO);
        FileOps.linux().mkfifo(stdoutFifo, 0600);
        FileOps.linux().mkfifo(stderrFifo, 0600);
        List<FifoReader> readers = new ArrayList<>();
        try {
            readers.add(FifoReader.open(stdoutFifo));
            readers.add(FifoReader.open(stderrFifo));
        } catch (IOException | RuntimeException e) {
            readers.forEach(FifoReader::close);
            throw e;
        }
        return readers;
    }

    private static ForegroundExec launch(List<String> command, Path directory, boolean stdin, Executor executor)
            throws IOException {
        return start(directory, stdin, executor, () -> new ProcessBuilder(command)
                .redirectInput(stdin ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.to(directory.resolve(STDOUT_FIFO).toFile()))
                .redirectError(ProcessBuilder.Redirect.to(directory.resolve(STDERR_FIFO).toFile()))
                .start());
    }

    /** The process's pid on the host once it runs (the runtime's pid file), else 0. */
    public int pid() {
        try {
            return Integer.parseInt(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Waits for the process to end and returns its exit code. A process the runtime could not
     * start is an EngineException with the runtime's message (Docker's CLI turns its words into
     * 126 or 127).
     */
    public int awaitExit() throws IOException {
        int code;
        try {
            CompletableFuture.anyOf(reportedExit, runtime.onExit()).get();
            code = reportedExit.isDone() ? reportedExit.join() : runtime.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the exec ran", e);
        } catch (ExecutionException e) {
            throw new IOException("the exec's runtime failed", e.getCause());
        }
        endRuntimeSoon();
        String message;
        synchronized (heldStderr) {
            awaitStreamsEnded();
            message = heldStderr.toString(StandardCharsets.UTF_8).strip();
        }
        if (code == RUNTIME_FAILED && !started && !reportedExit.isDone()) {
            throw new EngineException(ErrorKind.INTERNAL, "OCI runtime exec failed: " + Conmon.cleanRuntimeMessage(message));
        }
        return code;
    }

    /**
     * The runtime normally exits right after the process's output ends; one still there after
     * a grace period waits on a background child's pipe, and is ended.
     */
    private void endRuntimeSoon() {
        if (!endingRuntime.compareAndSet(false, true)) {
            return;
        }
        runtime.onExit().orTimeout(RUNTIME_GRACE_MILLIS, TimeUnit.MILLISECONDS).whenComplete((process, timeout) -> {
            if (timeout != null) {
                LOG.debug("exec runtime (pid {}) still waits on a background child's output; ending it", runtime.pid());
                runtime.destroyForcibly();
            }
        });
    }

    /**
     * Both readers have finished (what they decide needs the pid file, which the caller removes
     * after this returns), and the runtime's error text, if any, is complete.
     */
    private void awaitStreamsEnded() {
        try {
            while (openStreams.get() > 0) {
                heldStderr.wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The process's exit as the runtime logs it once it has reaped it. */
    private void readLog(FifoReader log) {
        byte[] buffer = new byte[8192];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (true) {
                int n = log.read(buffer, EXIT_CHECK_MILLIS);
                if (n == 0 || (n < 0 && !runtime.isAlive())) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        noteLogLine(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(buffer[i]);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("exec runtime log ended: {}", e.toString());
        } finally {
            log.close();
        }
    }

    private void noteLogLine(String line) {
        if (!line.contains("\"process exited\"")) {
            return;
        }
        try {
            JsonNode entry = JobCodec.mapper().readTree(line);
            if (entry.path("pid").asInt() == pid() && entry.has("status")) {
                reportedExit.complete(entry.get("status").asInt());
                // The output ends when the runtime does: it must not wait on a background child.
                endRuntimeSoon();
            }
        } catch (IOException e) {
            LOG.debug("unreadable runtime log line: {}", line);
        }
    }

    /**
     * Reads one FIFO until every writer has gone, or the launcher has and the FIFO stays quiet.
     * Under runc only the runtime holds the write end, and it exits once it has copied the
     * process's last output, or is ended a grace period after the process's exit (see
     * {@link #endRuntimeSoon}); so the end of the FIFO is the end of the output. The process's
     * exit alone is not: the runtime logs it before its copier has written what the process wrote
     * last, and stopping there lost that output under load. Under the helper the process writes
     * into the FIFO itself, so all it wrote is there when the helper, its parent, has exited;
     * only a background child can still hold the FIFO open then.
     */
    private void pump(FifoReader reader, int stream) {
        byte[] buffer = new byte[CHUNK];
        try {
            while (true) {
                boolean holding = stream == STDERR && !started && heldStderr.size() > 0;
                int n = reader.read(buffer, holding ? START_CHECK_MILLIS : EXIT_CHECK_MILLIS);
                if (n > 0) {
                    deliver(stream, buffer, n);
                    continue;
                }
                if (n == 0 || (n < 0 && !runtime.isAlive())) {
                    break;
                }
                if (holding) {
                    releaseHeldIfStarted();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("exec output ended: {}", e.toString());
        } finally {
            reader.close();
            if (stream == STDERR) {
                endStderr();
            }
            synchronized (heldStderr) {
                openStreams.decrementAndGet();
                heldStderr.notifyAll();
            }
            offer(END);
        }
    }

    private void deliver(int stream, byte[] data, int length) {
        if (stream == STDERR && !started) {
            synchronized (heldStderr) {
                heldStderr.write(data, 0, length);
            }
            releaseHeldIfStarted();
            return;
        }
        offer(packet(stream, data, 0, length));
    }

    private void releaseHeldIfStarted() {
        if (!started && Files.exists(pidFile)) {
            started = true;
            flushHeld();
        }
    }

    /** At stderr's end, held text is the process's unless the runtime failed to start it. */
    private void endStderr() {
        if (started) {
            return;
        }
        try {
            if (reportedExit.isDone() || runtime.waitFor() != RUNTIME_FAILED || Files.exists(pidFile)) {
                started = true;
                flushHeld();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void flushHeld() {
        byte[] held;
        synchronized (heldStderr) {
            held = heldStderr.toByteArray();
            heldStderr.reset();
        }
        for (int offset = 0; offset < held.length; offset += CHUNK) {
            offer(packet(STDERR, held, offset, Math.min(CHUNK, held.length - offset)));
        }
    }

    private static byte[] packet(int stream, byte[] data, int offset, int length) {
        byte[] packet = new byte[length + 1];
        packet[0] = (byte) stream;
        System.arraycopy(data, offset, packet, 1, length);
        return packet;
    }

    /** Queues a packet for the session, waiting while it is full (the client's back-pressure); dropped once aborted. */
    private void offer(byte[] packet) {
        try {
            while (!aborted) {
                if (packets.offer(packet, EXIT_CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int receive(byte[] packet) throws IOException {
        try {
            while (true) {
                if (aborted) {
                    return -1;
                }
                byte[] next = packets.take();
                if (next == END) {
                    if (openStreams.get() == 0 && packets.isEmpty()) {
                        return -1;
                    }
                    continue;
                }
                if (next.length > packet.length) {
                    throw new IOException("exec output packet of " + next.length + " bytes exceeds the buffer");
                }
                System.arraycopy(next, 0, packet, 0, next.length);
                return next.length;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void send(byte[] data, int length) throws IOException {
        if (stdin != null) {
            stdin.write(data, 0, length);
            stdin.flush();
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (stdin != null) {
            stdin.close();
        }
    }

    /**
     * The client has gone: the session stops reading, and the readers drain the FIFOs into the
     * void until the process ends, so that it never blocks on a full pipe (dockerd lets an exec
     * run on after its client leaves too).
     */
    @Override
    public void abort() {
        aborted = true;
        packets.clear();
        packets.offer(END);
    }

    @Override
    public void close() {
        abort();
        if (stdin != null) {
            try {
                stdin.close();
            } catch (IOException e) {
                LOG.debug("exec stdin: {}", e.toString());
            }
        }
    }

}
