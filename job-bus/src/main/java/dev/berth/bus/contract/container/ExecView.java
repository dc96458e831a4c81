package dev.berth.bus.contract.container;

import java.util.List;

/**
 * One exec instance as exec.inspect reports it.
 *
 * @param exitCode null until the process has ended
 * @param pid the process's pid on the host, 0 when it does not run
 */
public record ExecView(String id, String containerId, boolean running, Integer exitCode, int pid, boolean openStdin,
        boolean openStdout, boolean openStderr, boolean tty, String user, boolean privileged, String entrypoint,
        List<String> arguments, String detachKeys, boolean canRemove) {
}
