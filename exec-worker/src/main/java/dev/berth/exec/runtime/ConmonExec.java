package dev.berth.exec.runtime;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.JobCodec;
import dev.berth.host.FifoReader;
import dev.berth.host.FifoWriter;
import dev.berth.host.FileOps;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One process run in a running container by `runtime exec`, under a conmon of its own
 * (`conmon --exec`), which holds its stdio, serves its attach socket and reports its exit code.
 * The session directory plays the bundle's part for conmon: its attach socket and ctl FIFO are
 * there.
 *
 * <p>conmon talks on three inherited pipes, named FIFOs here for the reason {@link Conmon} gives:
 * the sync pipe (fd 3) carries the process's pid and, at its end, its exit code; the attach pipe
 * (fd 5) says when the attach socket is ready; the start pipe (fd 4) is read twice, once before
 * conmon forks and once, when attaching, right before it runs the runtime. The shell opens the
 * start FIFO read-write (so that opening it never waits) and writes the first byte itself; the
 * second comes from {@link #run} once the caller is attached, so no output is lost.
 */
public final class ConmonExec implements AutoCloseable {
    private static final long READY_TIMEOUT_MILLIS = 60_000;
    private static final long POLL_MILLIS = 100;
    private static final String EXEC_WITH_FIFOS = "exec 4<>\"$BERTH_START_FIFO\"; printf x >&4; "
            + "exec \"$@\" 3>\"$BERTH_SYNC_FIFO\" 5>\"$BERTH_ATTACH_FIFO\" >/dev/null 2>>\"$BERTH_CONMON_LOG\"";
    private static final String EXEC_DETACHED = "exec \"$@\" 3>\"$BERTH_SYNC_FIFO\" >/dev/null 2>>\"$BERTH_CONMON_LOG\"";

    /**
     * What to run: where, in which container, and how its stdio is wired; outputLog, when set, is
     * a k8s-file log conmon writes the output to (health probes read theirs), else none is kept.
     */
    public record Launch(String containerId, String sessionId, Path directory, Path processSpec, boolean attach,
            boolean stdin, boolean tty, Path outputLog) {
    }

    private final Launch launch;
    private final SyncLines sync;
    private final Process shell;

    private ConmonExec(Launch launch, SyncLines sync, Process shell) {
        this.launch = launch;
        this.sync = sync;
        this.shell = shell;
    }

    public static Path attachSocket(Path directory) {
        return directory.resolve("attach");
    }

    public static Path controlFifo(Path directory) {
        return directory.resolve("ctl");
    }

    /**
     * Launches conmon for the process. Attached, returns once conmon's attach socket is ready and
     * before the process runs ({@link #run} lets it run); detached, the process runs at once.
     */
    public static ConmonExec launch(String conmon, OciRuntime runtime, Launch launch) throws IOException {
        Path dir = launch.directory();
        Files.createDirectories(dir);
        Path syncFifo = dir.resolve("sync");
        Path attachFifo = dir.resolve("attach-ready");
        Path startFifo = dir.resolve("start");
        FileOps.linux().mkfifo(syncFifo, 0600);
        if (launch.attach()) {
            FileOps.linux().mkfifo(attachFifo, 0600);
            FileOps.linux().mkfifo(startFifo, 0600);
        }
        Path conmonLog = dir.resolve("conmon.log");
        FifoReader syncReader = FifoReader.open(syncFifo);
        try {
            List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", launch.attach() ? EXEC_WITH_FIFOS : EXEC_DETACHED,
                    "sh", conmon, "--api-version", "1",
                    "-c", launch.containerId(), "-u", launch.sessionId(), "-n", launch.sessionId(),
                    "-r", runtime.binary(), "--runtime-arg", "--root=" + runtime.root(),
                    "-b", dir.toString(), "-p", dir.resolve("pidfile").toString(),
                    "--conmon-pidfile", dir.resolve("conmon.pid").toString(),
                    "--exit-dir", dir.toString(), "--full-attach",
                    "-l", launch.outputLog() == null ? "none" : "k8s-file:" + launch.outputLog(), "--log-level", "error",
                    "-e", "--exec-process-spec", launch.processSpec().toString()));
            if (launch.attach()) {
                command.add("--exec-attach");
            }
            if (launch.stdin()) {
                command.add("-i");
            }
            if (launch.tty()) {
                command.add("-t");
            }
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("_OCI_SYNCPIPE", "3");
            builder.environment().put("BERTH_SYNC_FIFO", syncFifo.toString());
            builder.environment().put("BERTH_CONMON_LOG", conmonLog.toString());
            if (launch.attach()) {
                builder.environment().put("_OCI_STARTPIPE", "4");
                builder.environment().put("_OCI_ATTACHPIPE", "5");
                builder.environment().put("BERTH_START_FIFO", startFifo.toString());
                builder.environment().put("BERTH_ATTACH_FIFO", attachFifo.toString());
            }
            SyncLines sync = new SyncLines(syncReader, conmonLog);
            ConmonExec exec;
            if (launch.attach()) {
                try (FifoReader attachReader = FifoReader.open(attachFifo)) {
                    Process shell = builder.start();
                    exec = new ConmonExec(launch, sync, shell);
                    String ready = new SyncLines(attachReader, conmonLog).next(shell, READY_TIMEOUT_MILLIS);
                    if (ready == null) {
                        throw new EngineException(ErrorKind.INTERNAL, "conmon exited before the exec's attach socket was ready"
                                + exitStatus(shell) + ": " + readQuietly(conmonLog));
                    }
                }
            } else {
                exec = new ConmonExec(launch, sync, builder.start());
            }
            return exec;
        } catch (IOException | RuntimeException e) {
            syncReader.close();
            killConmon(dir);
            throw e;
        }
    }

    /** Lets an attached process run: conmon waits for this before it calls the runtime. */
    public void run() throws IOException {
        if (!FifoWriter.writeIfRead(launch.directory().resolve("start"), new byte[] {'x'})) {
            throw new EngineException(ErrorKind.INTERNAL, "conmon went away before the exec could run: "
                    + readQuietly(launch.directory().resolve("conmon.log")));
        }
    }

    /**
     * The pid of the process on the host, once the runtime has started it. A runtime failure
     * (no such command, a bad user) is an EngineException with the runtime's message.
     */
    public int awaitPid() throws IOException {
        String line = sync.next(shell, READY_TIMEOUT_MILLIS);
        if (line == null) {
            throw new EngineException(ErrorKind.INTERNAL, "conmon exited without reporting the exec"
                    + exitStatus(shell) + ": " + readQuietly(launch.directory().resolve("conmon.log")));
        }
        Conmon.SyncReport report = parse(line);
        int pid = report.data() == null ? -1 : report.data();
        if (pid <= 0) {
            String message = report.message() == null ? "" : report.message().strip();
            throw new EngineException(ErrorKind.INTERNAL, "OCI runtime exec failed: " + Conmon.cleanRuntimeMessage(message));
        }
        return pid;
    }

    /**
     * Waits for the process to end and returns its exit code (128 + signal for a signal), as
     * conmon reports it. Should conmon die without a report, its exit file is the answer, and -1
     * when there is none.
     */
    public int awaitExit() throws IOException {
        String line = sync.next(shell, 0);
        if (line != null) {
            Conmon.SyncReport report = parse(line);
            if (report.data() != null) {
                return report.data();
            }
        }
        try {
            return Integer.parseInt(Files.readString(launch.directory().resolve(launch.containerId())).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static Conmon.SyncReport parse(String line) {
        try {
            return JobCodec.decode(line, Conmon.SyncReport.class);
        } catch (EngineException e) {
            throw new EngineException(ErrorKind.INTERNAL, "conmon sent an unreadable report: " + line);
        }
    }

    /** Ends conmon (and with it the process's supervision) if it still runs. */
    public void kill() {
        killConmon(launch.directory());
    }

    @Override
    public void close() {
        sync.close();
    }

    private static void killConmon(Path dir) {
        try {
            int pid = Integer.parseInt(Files.readString(dir.resolve("conmon.pid")).trim());
            ProcessHandle.of(pid).filter(p -> p.info().command().map(c -> c.contains("conmon")).orElse(false))
                    .ifPresent(ProcessHandle::destroyForcibly);
        } catch (IOException | NumberFormatException e) {
            // conmon never wrote its pid: it is not running
        }
    }

    private static String exitStatus(Process process) {
        try {
            if (process.waitFor(1, java.util.concurrent.TimeUnit.SECONDS)) {
                return " (exit status " + process.exitValue() + ")";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file).strip() : "no error output";
        } catch (IOException e) {
            return "no error output";
        }
    }

    /** Newline-ended messages from one of conmon's FIFOs; bytes after a line wait for the next call. */
    private static final class SyncLines {
        private final FifoReader reader;
        private final Path conmonLog;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private boolean ended;

        SyncLines(FifoReader reader, Path conmonLog) {
            this.reader = reader;
            this.conmonLog = conmonLog;
        }

        /**
         * The next line, or null at end of file (conmon gone). {@code timeoutMillis} 0 waits for
         * ever; a shell that failed before conmon opened the FIFO ends the wait too.
         */
        String next(Process shell, long timeoutMillis) throws IOException {
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
            byte[] buffer = new byte[4096];
            while (true) {
                String line = takeLine();
                if (line != null) {
                    return line;
                }
                if (ended) {
                    return null;
                }
                int n = reader.read(buffer, POLL_MILLIS);
                if (n > 0) {
                    pending.write(buffer, 0, n);
                    continue;
                }
                if (n == 0) {
                    ended = true;
                    String rest = pending.toString(StandardCharsets.UTF_8);
                    pending.reset();
                    return rest.isEmpty() ? null : rest;
                }
                if (!shell.isAlive() && shell.exitValue() != 0) {
                    throw new EngineException(ErrorKind.INTERNAL, "conmon failed to start" + exitStatus(shell) + ": "
                            + readQuietly(conmonLog));
                }
                if (timeoutMillis > 0 && System.nanoTime() > deadline) {
                    throw new EngineException(ErrorKind.INTERNAL, "conmon did not answer within " + timeoutMillis / 1000
                            + " s: " + readQuietly(conmonLog));
                }
            }
        }

        private String takeLine() {
            byte[] bytes = pending.toByteArray();
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    pending.reset();
                    pending.write(bytes, i + 1, bytes.length - i - 1);
                    return new String(bytes, 0, i, StandardCharsets.UTF_8);
                }
            }
            return null;
        }

        void close() {
            reader.close();
        }
    }
}
