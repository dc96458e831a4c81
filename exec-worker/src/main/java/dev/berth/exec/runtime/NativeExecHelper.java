package dev.berth.exec.runtime;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.host.SealedExecutable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Berth's exec helper (src/main/c/berth-exec.c, built with the module and shipped in its jar),
 * kept in a sealed memory file for the daemon's life (see {@link SealedExecutable} for why not
 * on disk). It runs execs into containers without `runtime exec` (design.md, "exec without
 * runc"), and copies a created container's seccomp filters for them.
 */
public final class NativeExecHelper {
    private static final Logger LOG = LoggerFactory.getLogger(NativeExecHelper.class);
    static final String RESOURCE = "/native/berth-exec";
    private static final long DUMP_TIMEOUT_SECONDS = 10;

    private final Path binary;
    /** A helper already started in standby mode, waiting for its launch file on stdin; or null. */
    private final AtomicReference<Process> standby = new AtomicReference<>();

    private NativeExecHelper(Path binary) {
        this.binary = binary;
    }

    /** Loads the helper from the classpath; an engine built without it cannot start. */
    public static NativeExecHelper load() throws IOException {
        try (InputStream in = NativeExecHelper.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the exec helper " + RESOURCE + " is missing from the exec worker's jar (it is built by mvn package)");
            }
            return new NativeExecHelper(SealedExecutable.of("berth-exec", in.readAllBytes()).path());
        }
    }

    /** The path to execute: a descriptor of this process. */
    public Path binary() {
        return binary;
    }

    /**
     * A helper in standby mode for one exec: the one started ahead of time when there is one,
     * else a new one; either way the next is started on {@code executor}, off the exec's path.
     * The caller writes the launch file's path and a newline to its stdin. Its stdout and stderr
     * are discarded until it opens the exec's FIFOs.
     */
    public Process take(Executor executor) throws IOException {
        Process ready = standby.getAndSet(null);
        if (ready == null || !ready.isAlive()) {
            ready = startStandby();
        }
        executor.execute(() -> {
            try {
                Process next = startStandby();
                if (!standby.compareAndSet(null, next)) {
                    next.destroy();
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("the next exec helper did not start: {}", e.toString());
            }
        });
        return ready;
    }

    private Process startStandby() throws IOException {
        return new ProcessBuilder(binary.toString(), "standby")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /**
     * Copies the seccomp filters of a created container's init process (runc has loaded them
     * and waits on its exec FIFO) to {@code out}; execs load them instead of having a runtime
     * compile the profile each time.
     */
    public void captureSeccomp(int pid, long startTicks, Path out) throws IOException {
        CommandResult result = Commands.run(List.of(binary.toString(), "seccomp-dump", Integer.toString(pid),
                Long.toString(startTicks), out.toString()), DUMP_TIMEOUT_SECONDS);
        if (!result.ok() || !Files.isRegularFile(out)) {
            throw new EngineException(ErrorKind.INTERNAL, "copying the seccomp filter of process " + pid + " failed: " + result.message());
        }
    }
}
