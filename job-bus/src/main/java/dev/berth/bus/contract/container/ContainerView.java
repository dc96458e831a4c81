package dev.berth.bus.contract.container;

import dev.berth.bus.contract.network.Endpoint;
import java.util.List;

/**
 * A container as the exec worker shows it to the gateway and to other workers (the reply of
 * container.inspect, the items of container.list): Berth's own record. config is the create-time
 * Config merged with the image's; the gateway renders Docker's JSON from this.
 *
 * @param image the image id (sha256:…)
 * @param imageRef the image as the client named it
 * @param path the first word of the command; args the rest
 * @param rootfs the mounted root file system while the container runs, else null
 * @param netnsPath the network namespace the container runs in, null for the host's
 * @param endpoints the networks the running container is attached to; empty when it is not running
 * @param mounts its binds, volumes and --mount tmpfs mounts, in Docker's order
 */
public record ContainerView(
        String id,
        String name,
        String created,
        String image,
        String imageRef,
        String path,
        List<String> args,
        ContainerConfig config,
        HostConfig hostConfig,
        NetworkingConfig networkingConfig,
        ContainerState state,
        int restartCount,
        String logPath,
        String hostnamePath,
        String hostsPath,
        String resolvConfPath,
        String driver,
        String rootfs,
        String netnsPath,
        List<Endpoint> endpoints,
        List<MountPoint> mounts) {
    public ContainerView {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    /**
     * The files the runtime mounts over (/etc/hosts, /etc/hostname, /etc/resolv.conf): runc
     * creates them empty when the image lacks them, so diff and commit leave them out.
     */
    public List<String> runtimeMountPoints() {
        List<String> mountPoints = new java.util.ArrayList<>();
        if (hostsPath != null && !hostsPath.isEmpty()) {
            mountPoints.add("/etc/hosts");
        }
        if (hostnamePath != null && !hostnamePath.isEmpty()) {
            mountPoints.add("/etc/hostname");
        }
        if (resolvConfPath != null && !resolvConfPath.isEmpty()) {
            mountPoints.add("/etc/resolv.conf");
        }
        return mountPoints;
    }
}
