package dev.berth.exec;

import dev.berth.bus.contract.container.HostConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * Configuration of the exec worker.
 *
 * @param stateDir container records and per-container files that outlive a reboot
 *     (data-root/containers): logs, hostname, hosts, resolv.conf
 * @param runDir runtime state that a reboot clears (exec-root): OCI bundles, the runtime's
 *     root, conmon's exit files
 * @param runtime path of the OCI runtime binary (runc)
 * @param conmon path of conmon
 * @param cgroupParent the cgroup under which each container gets its own, as /berth/&lt;id&gt;
 * @param volumesDir the volumes (data-root/volumes): one directory each, and their store
 * @param defaultLogConfig daemon.json's log-driver and log-opts; null when the daemon sets none
 * @param storageDriver the graph worker's storage driver on this node (overlay2 or vfs), which inspect shows
 */
public record ExecOptions(Path stateDir, Path runDir, String runtime, String conmon, String cgroupParent, Path volumesDir,
        List<String> defaultDns, HostConfig.LogConfig defaultLogConfig, String storageDriver) {
    public static ExecOptions of(Path dataRoot, Path execRoot, String runtime, String conmon, String cgroupParent,
            List<String> defaultDns) {
        return new ExecOptions(dataRoot.resolve("containers"), execRoot, runtime, conmon, cgroupParent, dataRoot.resolve("volumes"),
                List.copyOf(defaultDns), null, "overlay2");
    }

    /** These options with daemon.json's log-driver and log-opts for containers that set none (null: none). */
    public ExecOptions withDefaultLogConfig(HostConfig.LogConfig logConfig) {
        return new ExecOptions(stateDir, runDir, runtime, conmon, cgroupParent, volumesDir, defaultDns, logConfig, storageDriver);
    }

    /** These options with the node's storage driver's name. */
    public ExecOptions withStorageDriver(String driver) {
        return new ExecOptions(stateDir, runDir, runtime, conmon, cgroupParent, volumesDir, defaultDns, defaultLogConfig, driver);
    }
}
