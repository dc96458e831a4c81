package dev.berth.exec.volume;

import dev.berth.exec.oci.OciSpecBuilder;
import dev.berth.host.MountInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The mounts of a running container that docker cp does not enter: the kernel's file systems and
 * the /dev tmpfs that the runtime mounts from the spec (/proc, /sys, /sys/fs/cgroup, /dev,
 * /dev/pts, /dev/mqueue, /dev/shm, and whatever lies under them), as found in the container's
 * /proc/PID/mountinfo. dockerd's view of a container is its snapshot with its volumes and binds
 * bound in, so there these paths are the image's directories; here they are read from the
 * snapshot's directory (image) too. The container's own mounts (volumes, binds, tmpfs, its
 * /etc/hosts, hostname and resolv.conf) stay as the container sees them, even under /dev.
 *
 * @param special mount points (clean container paths) whose content is not the container's files
 * @param own the destinations of the container's own mounts
 * @param image the snapshot's directory on the host, where the runtime's mounts are not seen
 */
public record RuntimeMounts(List<String> special, List<String> own, Path image) {
    /** A stopped container has none: its snapshot is all there is. */
    public static final RuntimeMounts NONE = new RuntimeMounts(List.of(), List.of(), null);

    /** File systems with no files of the container's: a mount of one is special wherever it is. */
    private static final Set<String> KERNEL_TYPES = Set.of("proc", "sysfs", "cgroup", "cgroup2", "devpts", "mqueue",
            "devtmpfs", "securityfs", "debugfs", "tracefs", "pstore", "bpf", "configfs", "fusectl", "binfmt_misc",
            "efivarfs", "hugetlbfs", "autofs", "rpc_pipefs", "nsfs", "selinuxfs");

    /** Reads /proc/PID/mountinfo: blocking. */
    public static RuntimeMounts of(long pid, Collection<String> own, Path image) throws IOException {
        return parse(Files.readString(Path.of("/proc/" + pid + "/mountinfo")), own, image);
    }

    /**
     * Mount points in mountinfo are relative to the process's root, so they are the container's
     * own paths. A mount at or under one of the container's own mounts is never special (a bind
     * of the host's /proc is the user's to copy, as with dockerd).
     */
    static RuntimeMounts parse(String mountinfo, Collection<String> own, Path image) {
        List<String> special = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] fields = line.split(" ");
            int separator = List.of(fields).indexOf("-");
            if (fields.length < 5 || separator < 0 || separator + 1 >= fields.length) {
                continue;
            }
            String point = ContainerRoot.absolute(MountInfo.unescape(fields[4]));
            String type = fields[separator + 1];
            if (point.equals("/") || own.stream().anyMatch(d -> within(point, d))) {
                continue;
            }
            if ((KERNEL_TYPES.contains(type) || OciSpecBuilder.STANDARD_DESTINATIONS.contains(point))
                    && !special.contains(point)) {
                special.add(point);
            }
        }
        return new RuntimeMounts(List.copyOf(special), List.copyOf(own), image);
    }

    /**
     * The host path of a clean container path: live is where the container's own view puts it
     * (/proc/PID/root/…). Inside a special mount it is the snapshot's, except on the way to one
     * of the container's own mounts there (-v /dev/log:/dev/log), where the image's directory is
     * taken when it has one.
     */
    public Path hostOf(String containerPath, Path live) {
        if (image == null || special.stream().noneMatch(s -> within(containerPath, s))) {
            return live;
        }
        if (own.stream().anyMatch(d -> within(containerPath, d))) {
            return live;
        }
        Path inImage = image.resolve(containerPath.substring(1));
        if (own.stream().anyMatch(d -> within(d, containerPath))) {
            return Files.exists(inImage, LinkOption.NOFOLLOW_LINKS) ? inImage : live;
        }
        return inImage;
    }

    /** path is base or lies under it (both clean). */
    static boolean within(String path, String base) {
        return path.equals(base) || base.equals("/") || path.startsWith(base + "/");
    }
}
