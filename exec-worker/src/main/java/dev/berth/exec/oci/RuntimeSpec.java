package dev.berth.exec.oci;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything the OCI spec of one container start is made from; all Docker-level decisions
 * (image defaults merged, user resolved, network chosen) are already taken.
 *
 * @param netnsPath the network namespace to join; null shares the host's
 * @param hostFiles bind mounts of the per-container /etc/hostname, /etc/hosts, /etc/resolv.conf
 * @param mounts the user's binds, volumes and tmpfs mounts, over the standard ones at the same place
 * @param security capabilities, no-new-privileges, seccomp, masked paths
 * @param devices host devices made in the container (--device) and allowed in its cgroup
 */
public record RuntimeSpec(
        List<String> args,
        List<String> env,
        String cwd,
        ProcessUser user,
        boolean tty,
        String hostname,
        Path rootfs,
        boolean readonlyRootfs,
        boolean privileged,
        String cgroupsPath,
        Path netnsPath,
        boolean cgroupNamespace,
        List<HostFile> hostFiles,
        long nofileLimit,
        List<Mount> mounts,
        SecurityOptions.Security security,
        List<Device> devices) {

    /** A file of the host bound over a path of the container. */
    public record HostFile(Path source, String destination, boolean readonly) {
    }

    /** One device node: type "c" or "b", its numbers, mode and owner, and the cgroup access ("rwm"). */
    public record Device(String path, String type, long major, long minor, int fileMode, int uid, int gid, String access) {
    }

    /** One mount as the runtime takes it: a bind ("bind", with rbind or bind in options) or a tmpfs. */
    public record Mount(String destination, String type, String source, List<String> options) {
    }
}
