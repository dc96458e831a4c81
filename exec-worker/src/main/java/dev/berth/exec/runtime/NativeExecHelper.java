package dev.berth.exec.runtime;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.host.SealedExecutable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Berth's exec helper (src/main/c/berth-exec.c, built with the module and shipped in its jar),
 * kept in a sealed memory file for the daemon's life (see {@link SealedExecutable} for why not
 * on disk). It runs execs into containers without `runtime exec` (design.md, "exec without
 * runc"), and copies a created container's seccomp filters for them.
 */
public final class NativeExecHelper {
    static final String RESOURCE = "/native/berth-exec";
    private static final long DUMP_TIMEOUT_SECONDS = 10;

    private final Path binary;

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
