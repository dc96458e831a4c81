package dev.berth.exec.volume;

import dev.berth.bus.EngineException;
import dev.berth.exec.oci.RootfsPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A container's file system as docker cp sees it, and the host path of a path in it. Paths are
 * resolved inside the root: a symlink in the container leads to its own target in the
 * container, ".." stops at the root, so nothing outside is ever reached.
 *
 * <p>A running container is reached through /proc/PID/root, where the kernel shows its mounts
 * (volumes, binds, tmpfs) as the container sees them, except the runtime's /proc, /sys and /dev
 * mounts, which are read from the snapshot as dockerd shows them ({@link RuntimeMounts}). A
 * stopped one is its mounted snapshot, with its binds and volumes mapped onto their host
 * directories here.
 *
 * @param root the container's "/" on the host
 * @param mounts the container's binds, volumes and tmpfs mounts
 * @param mapMounts true when the mounts are not in root (a stopped container): paths under them are re-rooted
 * @param readonlyRootfs --read-only: only mounts may be written
 * @param runtime a running container's mounts that cp does not enter
 */
public record ContainerRoot(Path root, List<MountSpec> mounts, boolean mapMounts, boolean readonlyRootfs, RuntimeMounts runtime) {

    public ContainerRoot(Path root, List<MountSpec> mounts, boolean mapMounts, boolean readonlyRootfs) {
        this(root, mounts, mapMounts, readonlyRootfs, RuntimeMounts.NONE);
    }

    /** A path of the container found on the host; mount is the mount it lies in, if any. */
    public record Resolved(Path host, String containerPath, Optional<MountSpec> mount) {
    }

    /**
     * The path with every element but the last resolved, as docker cp takes it: a symlink as
     * the last element is the link itself.
     */
    public Resolved resolveParent(String path) {
        String clean = absolute(path);
        if (clean.equals("/")) {
            return resolveFully("/");
        }
        int slash = clean.lastIndexOf('/');
        String base = clean.substring(slash + 1);
        Resolved parent = resolveFully(slash == 0 ? "/" : clean.substring(0, slash));
        String containerPath = parent.containerPath().equals("/") ? "/" + base : parent.containerPath() + "/" + base;
        return new Resolved(hostOf(containerPath), containerPath, mountOf(containerPath));
    }

    /**
     * The path with every symlink in it followed, inside the container: each link is read where
     * the container has it (in a stopped container's volume too), and leads into the container.
     */
    public Resolved resolveFully(String path) {
        String clean = absolute(path);
        try {
            String containerPath = RootfsPaths.resolveIn(this::hostOf, clean);
            return new Resolved(hostOf(containerPath), containerPath, mountOf(containerPath));
        } catch (IOException e) {
            throw EngineException.invalid("cannot resolve " + path + " in the container: " + e.getMessage());
        }
    }

    /**
     * The host path of a clean container path as docker cp shows it: in a stopped container, a
     * path in a bind or volume is in its source; in a running one, a path in the runtime's /proc,
     * /sys or /dev mounts is the snapshot's (see {@link RuntimeMounts}).
     */
    public Path hostOf(String containerPath) {
        Optional<MountSpec> mount = mapMounts ? mountOf(containerPath) : Optional.empty();
        if (mount.isPresent() && !mount.get().isTmpfs()) {
            // the mount itself (a bound file, a volume's directory), not the mount point under it
            String rest = containerPath.substring(mount.get().destination().length());
            return rest.isEmpty() ? Path.of(mount.get().source()) : Path.of(mount.get().source()).resolve(rest.substring(1));
        }
        return inRoot(containerPath);
    }

    /**
     * The children of a directory that lead to the container's mounts: a walk adds them to what
     * it lists, as a mount point may be absent from the directory the walk reads (a stopped
     * container's snapshot, the image's /dev).
     */
    public Set<String> mountsBelow(String containerPath) {
        String prefix = containerPath.equals("/") ? "/" : containerPath + "/";
        Set<String> names = new TreeSet<>();
        Stream.concat(mounts.stream().map(MountSpec::destination), runtime.own().stream())
                .filter(d -> d.startsWith(prefix) && d.length() > prefix.length())
                .forEach(d -> names.add(d.substring(prefix.length()).split("/", 2)[0]));
        return names;
    }

    private Path inRoot(String containerPath) {
        Path live = containerPath.equals("/") ? root : root.resolve(containerPath.substring(1));
        return runtime.hostOf(containerPath, live);
    }

    /** Refuses a write where the container may not write: a read-only mount, or the root of a --read-only container. */
    public void checkWritable(Resolved target) {
        if (target.mount().isPresent()) {
            if (target.mount().get().readOnly()) {
                throw EngineException.invalid("mounted volume is marked read-only");
            }
        } else if (readonlyRootfs) {
            throw EngineException.invalid("container rootfs is marked read-only");
        }
    }

    private Optional<MountSpec> mountOf(String containerPath) {
        return mounts.stream()
                .filter(m -> containerPath.equals(m.destination()) || containerPath.startsWith(m.destination() + "/"))
                .max(Comparator.comparingInt(m -> m.destination().length()));
    }

    /** The path made absolute and clean ("." and ".." resolved lexically, never above "/"). */
    public static String absolute(String path) {
        String cleaned = Path.of("/").resolve(path.isEmpty() ? "/" : path).normalize().toString();
        while (cleaned.startsWith("/..")) {
            cleaned = cleaned.length() == 3 ? "/" : cleaned.substring(3);
        }
        return cleaned;
    }
}
