package dev.berth.exec.runtime;

import java.nio.file.Path;

/**
 * One conmon for one container.
 *
 * @param id container id, also conmon's -c and the name of its exit file
 * @param name container name, for conmon's own logs
 * @param bundle the OCI bundle (config.json); conmon puts the attach socket and ctl FIFO here
 * @param logPath conmon's k8s-file log; must not contain ':'. Null for no log (--log-driver none)
 * @param stdin keep a stdin pipe open into the container
 * @param leaveStdinOpen keep that pipe open when an attached client goes away
 * @param tty give the container a terminal
 */
public record ConmonLaunch(String id, String name, Path bundle, Path logPath, boolean stdin, boolean leaveStdinOpen,
        boolean tty) {
}
