package dev.berth.exec.runtime;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The host's `ps`, which `docker top` runs with the user's options, as dockerd does. */
public final class HostPs {
    private static final long TIMEOUT_SECONDS = 30;

    private HostPs() {
    }

    /** ps's output for the given options (split on blanks, as dockerd splits them). */
    public static String run(List<String> options) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("ps");
        command.addAll(options);
        CommandResult result = Commands.run(command, TIMEOUT_SECONDS);
        if (!result.ok()) {
            throw new EngineException(ErrorKind.INTERNAL, "ps: " + result.message() + ": exit status " + result.exitCode());
        }
        return result.stdout();
    }
}
