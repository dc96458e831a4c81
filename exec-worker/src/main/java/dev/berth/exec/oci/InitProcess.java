package dev.berth.exec.oci;

import dev.berth.bus.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * --init: tini as the container's PID 1, reaping zombies and passing signals on, as Docker's
 * docker-init is. Debian's tini package ships a static build, which runs in any image; it is
 * bound read-only where Docker puts its init.
 */
public final class InitProcess {
    public static final Path BINARY = Path.of("/usr/bin/tini-static");
    static final String DESTINATION = "/sbin/docker-init";

    private InitProcess() {
    }

    /** Refuses --init on a host without the binary, before the container is made. */
    public static void check() {
        if (!Files.isRegularFile(BINARY)) {
            throw EngineException.invalid("berth cannot run --init: " + BINARY + " is missing (Debian's tini package)");
        }
    }

    /** The command run under the init process. */
    public static List<String> wrap(List<String> command) {
        List<String> args = new ArrayList<>(List.of(DESTINATION, "--"));
        args.addAll(command);
        return args;
    }

    public static RuntimeSpec.Mount mount() {
        return new RuntimeSpec.Mount(DESTINATION, "bind", BINARY.toString(), List.of("bind", "rprivate", "ro"));
    }
}
