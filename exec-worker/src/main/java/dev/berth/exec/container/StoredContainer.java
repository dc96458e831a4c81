package dev.berth.exec.container;

import dev.berth.bus.contract.container.ContainerConfig;
import dev.berth.bus.contract.container.HostConfig;
import dev.berth.bus.contract.container.NetworkingConfig;
import dev.berth.bus.contract.network.Endpoint;
import dev.berth.exec.volume.MountSpec;
import java.util.List;

/**
 * A container's row in the store, as JSON written by the JobCodec: what it was created with and
 * its last known state, enough to reconcile after berthd restarts. mounts is null in records
 * written before mounts existed. networksChosen is true once docker network connect or
 * disconnect made networkingConfig the list of every network the container joins (null before).
 */
public record StoredContainer(String id, String name, String created, String imageId, ContainerConfig config,
        HostConfig hostConfig, NetworkingConfig networkingConfig, String hostname, String stateDir, String logPath,
        State state, List<MountSpec> mounts, Boolean networksChosen) {

    /**
     * The state part; pid and conmonPid let a restarted berthd find what still runs; endpoints
     * are the running container's attachments (null in rows written before networking).
     */
    public record State(String status, int pid, int conmonPid, int exitCode, String error, boolean oomKilled,
            String startedAt, String finishedAt, int restartCount, String netnsPath, boolean ownsSandbox, String rootfs,
            List<Endpoint> endpoints, boolean manuallyStopped) {
        static final State CREATED = new State("created", 0, 0, 0, "", false, null, null, 0, null, false, null, List.of(), false);
    }
}
