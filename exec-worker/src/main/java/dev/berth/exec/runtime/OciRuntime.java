package dev.berth.exec.runtime;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.host.FifoReader;
import dev.berth.host.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The OCI runtime's command line (runc, or crun where the host allows it), with a root of
 * Berth's own so that several daemons never see each other's containers. This is a thin
 * wrapper: the runtime creates the container (through conmon), Berth only starts, signals and
 * deletes it, and never re-implements what the runtime does.
 */
public final class OciRuntime {
    private static final long TIMEOUT_SECONDS = 60;
    private static final long START_TIMEOUT_MILLIS = 30_000;
    private static final long INIT_CHECK_MILLIS = 100;

    private final String binary;
    private final Path root;

    public OciRuntime(String binary, Path root) {
        this.binary = binary;
        this.root = root;
    }

    public String binary() {
        return binary;
    }

    public Path root() {
        return root;
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(binary, "--root", root.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Starts a created container whose init process has the given pid. runc's `start` only
     * opens the container's exec FIFO, reads the byte its init process writes there and removes
     * the FIFO; doing exactly that here saves a second runtime process (tens of milliseconds of
     * Go start-up on a small machine). Runtimes without the FIFO get the `start` command.
     *
     * <p>The FIFO is opened without waiting for its writer, and read in short waits between
     * which the init process is checked: an init that died before start can never hang a thread.
     */
    public void start(String id, int initPid) throws IOException {
        Path fifo = root.resolve(id).resolve("exec.fifo");
        if (!Files.exists(fifo)) {
            startWithCommand(id);
            return;
        }
        long deadline = System.nanoTime() + START_TIMEOUT_MILLIS * 1_000_000;
        byte[] signal = new byte[1];
        try (FifoReader reader = FifoReader.open(fifo)) {
            while (true) {
                int n = reader.read(signal, INIT_CHECK_MILLIS);
                if (n > 0) {
                    Files.deleteIfExists(fifo);
                    return;
                }
                if (n == 0 || !Processes.linux().isRunning(initPid)) {
                    throw new EngineException(ErrorKind.INTERNAL,
                            "OCI runtime start failed: the container's init process (pid " + initPid + ") went away before it started");
                }
                if (System.nanoTime() > deadline) {
                    throw new EngineException(ErrorKind.INTERNAL, "OCI runtime start failed: the container's init process (pid "
                            + initPid + ") did not take the start signal within " + START_TIMEOUT_MILLIS / 1000 + " s");
                }
            }
        }
    }

    void startWithCommand(String id) throws IOException {
        CommandResult result = Commands.run(command("start", id), TIMEOUT_SECONDS);
        if (!result.ok()) {
            throw new EngineException(ErrorKind.INTERNAL, "OCI runtime start failed: " + result.message());
        }
    }

    /** Signals the container's init process; false when the container is not running. */
    public boolean kill(String id, int signal) throws IOException {
        CommandResult result = Commands.run(command("kill", id, Integer.toString(signal)), TIMEOUT_SECONDS);
        if (result.ok()) {
            return true;
        }
        String message = result.message();
        if (message.contains("not running") || message.contains("does not exist") || message.contains("container not found")) {
            return false;
        }
        throw new EngineException(ErrorKind.INTERNAL, "OCI runtime kill failed: " + message);
    }

    /** Freezes every process of the container (the freezer cgroup, v1 or v2: the runtime knows which). */
    public void pause(String id) throws IOException {
        CommandResult result = Commands.run(command("pause", id), TIMEOUT_SECONDS);
        if (!result.ok()) {
            throw new EngineException(ErrorKind.INTERNAL, "OCI runtime pause failed: " + result.message());
        }
    }

    /** Thaws a paused container. */
    public void resume(String id) throws IOException {
        CommandResult result = Commands.run(command("resume", id), TIMEOUT_SECONDS);
        if (!result.ok()) {
            throw new EngineException(ErrorKind.INTERNAL, "OCI runtime resume failed: " + result.message());
        }
    }

    /**
     * Changes a running container's cgroup limits (`runtime update`); the options are the
     * runtime's (--memory, --cpu-quota …).
     */
    public void update(String id, List<String> options) throws IOException {
        List<String> command = command("update");
        command.addAll(options);
        command.add(id);
        CommandResult result = Commands.run(command, TIMEOUT_SECONDS);
        if (!result.ok()) {
            throw new EngineException(ErrorKind.INVALID_ARGUMENT, "Cannot update container " + id + ": " + result.message());
        }
    }

    /** The host pids of every process in the container. */
    public List<Integer> processes(String id) throws IOException {
        CommandResult result = Commands.run(command("ps", "--format", "json", id), TIMEOUT_SECONDS);
        if (!result.ok()) {
            throw new EngineException(ErrorKind.INTERNAL, "OCI runtime ps failed: " + result.message());
        }
        String out = result.stdout().trim();
        List<Integer> pids = new ArrayList<>();
        if (out.startsWith("[") && out.endsWith("]")) {
            for (String pid : out.substring(1, out.length() - 1).split(",")) {
                if (!pid.isBlank()) {
                    pids.add(Integer.parseInt(pid.trim()));
                }
            }
        }
        return pids;
    }

    /** Deletes the runtime's state (and cgroup) of a stopped container; absent state is fine. */
    public void delete(String id, boolean force) throws IOException {
        List<String> args = force ? command("delete", "--force", id) : command("delete", id);
        CommandResult result = Commands.run(args, TIMEOUT_SECONDS);
        if (!result.ok() && !result.message().contains("does not exist") && !result.message().contains("not found")) {
            throw new EngineException(ErrorKind.INTERNAL, "OCI runtime delete failed: " + result.message());
        }
    }

    /** Whether the runtime keeps state for the id (a container it has not deleted). */
    public boolean hasState(String id) {
        return Files.exists(root.resolve(id));
    }
}
