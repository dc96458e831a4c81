package dev.berth.exec.runtime;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts conmon, which runs `runtime create` for the container and then supervises it: holds its
 * stdio, writes its log, serves the attach socket, records its exit code in the exit directory.
 * conmon outlives berthd, which is what lets containers survive a daemon restart.
 *
 * <p>conmon reports the container's pid (or the runtime's error) on a sync pipe it expects as an
 * inherited fd named by _OCI_SYNCPIPE. The JDK cannot pass extra fds to a child, so a shell
 * moves our stdout pipe to fd 3 and then execs conmon.
 */
public final class Conmon {
    private static final long SYNC_TIMEOUT_SECONDS = 60;
    private static final String EXEC_WITH_SYNC_PIPE = "exec \"$@\" 3>&1 >/dev/null 2>>\"$BERTH_CONMON_LOG\"";

    private final String conmon;
    private final OciRuntime runtime;
    private final Path exitDir;

    public Conmon(String conmon, OciRuntime runtime, Path exitDir) {
        this.conmon = conmon;
        this.runtime = runtime;
        this.exitDir = exitDir;
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

    /**
     * Launches conmon and waits until the runtime has created the container (not started it).
     * Returns the container's pid; a runtime failure becomes an EngineException with its message.
     */
    public int launch(ConmonLaunch launch) throws IOException {
        Path bundle = launch.bundle();
        Files.createDirectories(bundle.resolve("persist"));
        Files.createDirectories(exitDir);
        Path conmonLog = bundle.resolve("conmon.log");
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", EXEC_WITH_SYNC_PIPE, "sh", conmon,
                "--api-version", "1",
                "-c", launch.id(), "-u", launch.id(), "-n", launch.name(),
                "-r", runtime.binary(), "--runtime-arg", "--root=" + runtime.root(),
                "-b", bundle.toString(), "-p", bundle.resolve("pidfile").toString(),
                "--conmon-pidfile", pidFile(bundle).toString(),
                "--exit-dir", exitDir.toString(), "--persist-dir", bundle.resolve("persist").toString(),
                "--full-attach", "-l", "k8s-file:" + launch.logPath(), "--log-level", "error"));
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
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("_OCI_SYNCPIPE", "3");
        builder.environment().put("BERTH_CONMON_LOG", conmonLog.toString());
        Process process = builder.start();
        CompletableFuture<String> syncLine = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                return reader.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = syncLine.get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            killConmon(bundle);
            throw new EngineException(ErrorKind.INTERNAL, "conmon did not report the container within " + SYNC_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while starting the container");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
        if (line == null) {
            throw new EngineException(ErrorKind.INTERNAL, "conmon failed: " + readQuietly(conmonLog));
        }
        JsonObject report;
        try {
            report = new JsonObject(line);
        } catch (DecodeException e) {
            throw new EngineException(ErrorKind.INTERNAL, "conmon sent an unreadable report: " + line);
        }
        int pid = report.getInteger("data", -1);
        if (pid <= 0) {
            String message = report.getString("message", readQuietly(conmonLog)).strip();
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
