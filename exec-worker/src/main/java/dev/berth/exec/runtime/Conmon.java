package dev.berth.exec.runtime;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.JobCodec;
import dev.berth.host.FifoReader;
import dev.berth.host.FileOps;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts conmon, which runs `runtime create` for the container and then supervises it: holds its
 * stdio, writes its log, serves the attach socket, records its exit code in the exit directory.
 * conmon outlives berthd, which is what lets containers survive a daemon restart.
 *
 * <p>conmon reports the container's pid (or the runtime's error) on a sync pipe it expects as an
 * inherited fd named by _OCI_SYNCPIPE. That pipe is a named FIFO in the bundle, opened for reading
 * here before conmon starts, which a shell opens as fd 3 for conmon. It must not be the JDK's
 * stdout pipe of the process: conmon's first process exits as soon as it has forked, before the
 * runtime has created the container, and the JDK's process reaper then drains what is there and
 * closes that pipe, so a report written later was lost ("conmon failed:" with nothing after it).
 * The FIFO belongs to no process handle; only conmon holds its write end.
 */
public final class Conmon {
    private static final long SYNC_TIMEOUT_MILLIS = 60_000;
    private static final long LIVENESS_CHECK_MILLIS = 100;
    private static final int MAX_REPORT_BYTES = 64 * 1024;
    private static final String EXEC_WITH_SYNC_FIFO =
            "exec \"$@\" 3>\"$BERTH_SYNC_FIFO\" >/dev/null 2>>\"$BERTH_CONMON_LOG\"";

    private final String conmon;
    private final OciRuntime runtime;
    private final Path exitDir;

    public Conmon(String conmon, OciRuntime runtime, Path exitDir) {
        this.conmon = conmon;
        this.runtime = runtime;
        this.exitDir = exitDir;
    }

    public String binary() {
        return conmon;
    }

    public OciRuntime runtime() {
        return runtime;
    }

    public Path exitDir() {
        return exitDir;
    }

    public static Path pidFile(Path bundle) {
        return bundle.resolve("conmon.pid");
    }

    public static Path attachSocket(Path bundle) {
        return bundle.resolve("attach");
    }

    public static Path controlFifo(Path bundle) {
        return bundle.resolve("ctl");
    }

    static Path syncFifo(Path bundle) {
        return bundle.resolve("sync");
    }

    /**
     * Launches conmon and waits until the runtime has created the container (not started it).
     * Returns the container's pid; a runtime failure becomes an EngineException with its message,
     * and a conmon that fails or goes away says so with its exit status and its log.
     */
    public int launch(ConmonLaunch launch) throws IOException {
        Path bundle = launch.bundle();
        Files.createDirectories(bundle.resolve("persist"));
        Files.createDirectories(exitDir);
        Path conmonLog = bundle.resolve("conmon.log");
        Path fifo = syncFifo(bundle);
        Files.deleteIfExists(fifo);
        FileOps.linux().mkfifo(fifo, 0600);
        try (FifoReader sync = FifoReader.open(fifo)) {
            Process process = start(launch, bundle, conmonLog, fifo);
            return pidFrom(readReport(sync, process, bundle, conmonLog), conmonLog);
        } finally {
            Files.deleteIfExists(fifo);
        }
    }

    private Process start(ConmonLaunch launch, Path bundle, Path conmonLog, Path fifo) throws IOException {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", EXEC_WITH_SYNC_FIFO, "sh", conmon,
                "--api-version", "1",
                "-c", launch.id(), "-u", launch.id(), "-n", launch.name(),
                "-r", runtime.binary(), "--runtime-arg", "--root=" + runtime.root(),
                "-b", bundle.toString(), "-p", bundle.resolve("pidfile").toString(),
                "--conmon-pidfile", pidFile(bundle).toString(),
                "--exit-dir", exitDir.toString(), "--persist-dir", bundle.resolve("persist").toString(),
                "--full-attach", "-l", launch.logPath() == null ? "none" : "k8s-file:" + launch.logPath(), "--log-level", "error"));
        if (launch.stdin()) {
            command.add("-i");
            if (launch.leaveStdinOpen()) {
                command.add("--leave-stdin-open");
            }
        }
        if (launch.tty()) {
            command.add("-t");
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("_OCI_SYNCPIPE", "3");
        builder.environment().put("BERTH_SYNC_FIFO", fifo.toString());
        builder.environment().put("BERTH_CONMON_LOG", conmonLog.toString());
        return builder.start();
    }

    /**
     * The first line conmon writes on the sync FIFO. Once conmon has opened the FIFO, its going
     * away shows as end of file; before that, only a shell that failed can keep it from coming,
     * and its exit status says so.
     */
    private static String readReport(FifoReader sync, Process process, Path bundle, Path conmonLog) throws IOException {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        long deadline = System.nanoTime() + SYNC_TIMEOUT_MILLIS * 1_000_000;
        while (true) {
            int n = sync.read(buffer, LIVENESS_CHECK_MILLIS);
            if (n > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        report.write(buffer, 0, i);
                        return report.toString(StandardCharsets.UTF_8);
                    }
                }
                report.write(buffer, 0, n);
                if (report.size() > MAX_REPORT_BYTES) {
                    killConmon(bundle);
                    throw new EngineException(ErrorKind.INTERNAL, "conmon sent an unreadable report: "
                            + report.toString(StandardCharsets.UTF_8).substring(0, 200));
                }
                continue;
            }
            if (n == 0) {
                if (report.size() > 0) {
                    return report.toString(StandardCharsets.UTF_8);
                }
                throw new EngineException(ErrorKind.INTERNAL, "conmon exited without reporting the container"
                        + exitStatus(process) + ": " + readQuietly(conmonLog));
            }
            if (!process.isAlive() && process.exitValue() != 0) {
                throw new EngineException(ErrorKind.INTERNAL, "conmon failed to start" + exitStatus(process)
                        + ": " + readQuietly(conmonLog));
            }
            if (System.nanoTime() > deadline) {
                killConmon(bundle);
                throw new EngineException(ErrorKind.INTERNAL, "conmon did not report the container within "
                        + SYNC_TIMEOUT_MILLIS / 1000 + " s: " + readQuietly(conmonLog));
            }
        }
    }

    /** The first process's exit status, once it has exited (it exits at once after forking). */
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

    /** What conmon writes on the sync pipe: the container's pid, or -1 and the runtime's message. */
    record SyncReport(Integer data, String message) {
    }

    private static int pidFrom(String line, Path conmonLog) {
        SyncReport report;
        try {
            report = JobCodec.decode(line, SyncReport.class);
        } catch (EngineException e) {
            throw new EngineException(ErrorKind.INTERNAL, "conmon sent an unreadable report: " + line);
        }
        int pid = report.data() == null ? -1 : report.data();
        if (pid <= 0) {
            String message = report.message() == null ? "" : report.message().strip();
            if (message.isEmpty()) {
                message = readQuietly(conmonLog);
            }
            throw new EngineException(classify(message), "OCI runtime create failed: " + cleanRuntimeMessage(message));
        }
        return pid;
    }

    /** Docker's CLI maps these words to exit codes 127 and 126, so they must survive verbatim. */
    private static ErrorKind classify(String message) {
        if (message.contains("executable file not found") || message.contains("no such file or directory")
                || message.contains("permission denied")) {
            return ErrorKind.INVALID_ARGUMENT;
        }
        return ErrorKind.INTERNAL;
    }

    /** runc logs as `time="…" level=error msg="…"`; keep only the message. */
    static String cleanRuntimeMessage(String message) {
        StringBuilder out = new StringBuilder();
        for (String line : message.split("\n")) {
            String text = line.strip();
            int msg = text.indexOf("msg=\"");
            if (msg >= 0) {
                text = text.substring(msg + 5);
                if (text.endsWith("\"")) {
                    text = text.substring(0, text.length() - 1);
                }
                text = text.replace("\\\"", "\"");
            }
            if (!text.isEmpty()) {
                if (out.length() > 0) {
                    out.append(": ");
                }
                out.append(text);
            }
        }
        return out.toString();
    }

    /** conmon's own pid, from its pid file; 0 when unknown. */
    public static int conmonPid(Path bundle) {
        try {
            return Integer.parseInt(Files.readString(pidFile(bundle)).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Whether conmon for this container still runs (its pid is alive and is a conmon for the id). */
    public static boolean isAlive(int conmonPid, String id) {
        if (conmonPid <= 0) {
            return false;
        }
        try {
            String cmdline = new String(Files.readAllBytes(Path.of("/proc/" + conmonPid + "/cmdline")), StandardCharsets.UTF_8);
            return cmdline.contains("conmon") && cmdline.contains(id);
        } catch (IOException e) {
            return false;
        }
    }

    private static void killConmon(Path bundle) {
        int pid = conmonPid(bundle);
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file).strip() : "no error output";
        } catch (IOException e) {
            return "no error output";
        }
    }
}
