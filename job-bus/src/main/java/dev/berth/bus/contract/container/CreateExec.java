package dev.berth.bus.contract.container;

import java.util.List;

/**
 * exec.create: a process to run in a running container, as `docker exec` asks for it (Docker's
 * ExecConfig). Nothing runs until exec.start.
 *
 * @param ref the container, by id, prefix or name
 * @param user "" for the container's own user, else as Config.User ("name", "uid:gid" …)
 * @param env extra variables, replacing the container's of the same name
 * @param workingDir "" for the container's own working directory
 * @param consoleSize [height, width] of the terminal, or null
 */
public record CreateExec(String ref, String user, boolean privileged, boolean tty, boolean attachStdin,
        boolean attachStdout, boolean attachStderr, String detachKeys, List<String> env, String workingDir,
        List<String> cmd, List<Integer> consoleSize) {
}
