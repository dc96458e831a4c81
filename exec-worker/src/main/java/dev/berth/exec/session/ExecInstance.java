package dev.berth.exec.session;

import dev.berth.bus.contract.container.CreateExec;
import dev.berth.bus.contract.container.ExecView;
import dev.berth.exec.container.Container;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * One `docker exec`: what was asked for at exec.create, and how its one run went. It runs at
 * most once; the exit code, once set, never changes.
 */
final class ExecInstance {
    private final String id;
    private final Container container;
    private final CreateExec config;
    private final Path directory;
    private boolean started;
    private volatile boolean running;
    private volatile Integer exitCode;
    private volatile int pid;
    /** Where the pid of a process launched without conmon shows once it runs (read when asked). */
    private volatile IntSupplier launchedPid;
    private volatile long finishedNanos;
    /** A size asked for between the start and the process running, applied once it runs. */
    private volatile int[] pendingSize;

    ExecInstance(String id, Container container, CreateExec config, Path directory) {
        this.id = id;
        this.container = container;
        this.config = config;
        this.directory = directory;
    }

    String id() {
        return id;
    }

    Container container() {
        return container;
    }

    CreateExec config() {
        return config;
    }

    /** conmon's session directory: the process spec, the attach socket, the ctl FIFO. */
    Path directory() {
        return directory;
    }

    /** Claims the one run; false when it was claimed before. */
    synchronized boolean claimStart() {
        if (started) {
            return false;
        }
        started = true;
        return true;
    }

    synchronized boolean started() {
        return started;
    }

    boolean running() {
        learnPid();
        return running;
    }

    /** A process launched without a report of its start runs once its pid is known. */
    private synchronized void learnPid() {
        IntSupplier source = launchedPid;
        if (source != null && !running && exitCode == null) {
            int known = source.getAsInt();
            if (known > 0) {
                markRunning(known);
            }
        }
    }

    Integer exitCode() {
        return exitCode;
    }

    int pid() {
        return pid;
    }

    long finishedNanos() {
        return finishedNanos;
    }

    void markLaunched(IntSupplier pidSource) {
        launchedPid = pidSource;
    }

    synchronized void markRunning(int processPid) {
        pid = processPid;
        running = true;
    }

    synchronized void markExited(int code) {
        exitCode = code;
        running = false;
        pid = 0;
        finishedNanos = System.nanoTime();
        launchedPid = null;
    }

    void pendingSize(int height, int width) {
        pendingSize = new int[] {height, width};
    }

    int[] takePendingSize() {
        int[] size = pendingSize;
        pendingSize = null;
        return size;
    }

    ExecView view() {
        learnPid();
        List<String> cmd = config.cmd() == null ? List.of() : config.cmd();
        String entrypoint = cmd.isEmpty() ? "" : cmd.get(0);
        List<String> arguments = cmd.size() > 1 ? List.copyOf(cmd.subList(1, cmd.size())) : List.of();
        return new ExecView(id, container.id(), running, exitCode, pid, config.attachStdin(), config.attachStdout(),
                config.attachStderr(), config.tty(), config.user() == null ? "" : config.user(), config.privileged(),
                entrypoint, arguments, config.detachKeys() == null ? "" : config.detachKeys(), false);
    }
}
