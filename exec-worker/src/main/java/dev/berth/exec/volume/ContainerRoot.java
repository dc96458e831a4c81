package dev.berth.exec.volume;

import dev.berth.bus.EngineException;
import dev.berth.exec.oci.RootfsPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A container's file system as docker cp sees it, and the host path of a path in it. Paths are
 * resolved inside the root: a symlink in the container leads to its own target in the
 * container, ".." stops at the root, so nothing outside is ever reached.
 *
 * <p>A running container is reached through /proc/PID/root, where the kernel shows its mounts
 * (volumes, binds, tmpfs) as the container sees them. A stopped one is its mounted snapshot,
 * with its binds and volumes mapped onto their host directories here.
 *
 * @param root the container's "/" on the host
 * @param mounts the container's binds, volumes and tmpfs mounts
 * @param mapMounts true when the mounts are not in root (a stopped container): paths under them are re-rooted
 * @param readonlyRootfs --read-only: only mounts may be written
 */
public record ContainerRoot(Path root, List<MountSpec> mounts, boolean mapMounts, boolean readonlyRootfs) {

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
        Optional<MountSpec> mount = mountOf(containerPath);
        if (mapMounts && mount.isPresent() && !mount.get().isTmpfs() && mount.get().destination().equals(containerPath)) {
            // the mount itself (a bound file, a volume's directory), not the mount point under it
            return new Resolved(Path.of(mount.get().source()), containerPath, mount);
        }
        return new Resolved(parent.host().resolve(base), containerPath, mount);
    }

    /** The path with every symlink in it followed, inside the container. */
    public Resolved resolveFully(String path) {
        String clean = absolute(path);
        try {
            Path inRoot = RootfsPaths.resolve(root, clean);
            String containerPath = "/" + root.relativize(inRoot).toString();
            Optional<MountSpec> mount = mountOf(containerPath);
            if (mapMounts && mount.isPresent() && !mount.get().isTmpfs()) {
                String rest = containerPath.substring(mount.get().destination().length());
                return new Resolved(RootfsPaths.resolve(Path.of(mount.get().source()), rest.isEmpty() ? "/" : rest),
                        containerPath, mount);
            }
            return new Resolved(inRoot, containerPath, mount);
        } catch (IOException e) {
            throw EngineException.invalid("cannot resolve " + path + " in the container: " + e.getMessage());
        }
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
