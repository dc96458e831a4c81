package dev.berth.graph.commit;

import dev.berth.host.FileTrees;
import dev.berth.bus.EngineException;
import dev.berth.bus.contract.image.ContainerChanges.Kind;
import dev.berth.graph.snapshot.Snapshotter;
import dev.berth.graph.unpack.LayerUnpacker;
import dev.berth.host.Mounts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code docker export}: a container's whole file system as one tar. The container's changes
 * and its image's layers are stacked in a private read-only overlay mount (the upper directory
 * as the topmost lower one, so its whiteouts hide what they deleted), which neither disturbs the
 * container's own mount nor depends on the container running. The mount lives inside the
 * snapshot's directory, so removing the container also removes one left by a crash.
 */
public final class ContainerExporter {
    private final Snapshotter snapshots;
    private final Mounts mounts;

    public ContainerExporter(Snapshotter snapshots, Mounts mounts) {
        this.snapshots = snapshots;
        this.mounts = mounts;
    }

    /** A mounted view of one container's file system; close unmounts and deletes it. */
    public final class View implements AutoCloseable {
        private final Path mountPoint;

        private View(Path mountPoint) {
            this.mountPoint = mountPoint;
        }

        /** Writes the tar into out (not closed). */
        public void write(OutputStream out) throws IOException {
            LayerTarWriter tar = new LayerTarWriter(out);
            walk(mountPoint, "", tar);
            tar.finish();
        }

        @Override
        public void close() throws IOException {
            mounts.unmount(mountPoint, Mounts.MNT_DETACH);
            FileTrees.deleteTree(mountPoint);
        }
    }

    /** Mounts the view; NOT_FOUND when the container has no snapshot. */
    public View open(String id) throws IOException {
        Snapshotter.Snapshot snapshot = snapshots.get(id)
                .orElseThrow(() -> EngineException.notFound("No such container: " + id));
        List<Path> lowers = new ArrayList<>();
        lowers.add(snapshot.upperDir());
        lowers.addAll(snapshots.lowerDirs(id));
        Path mountPoint = snapshot.rootfs().resolveSibling("export-" + UUID.randomUUID());
        Files.createDirectories(mountPoint);
        try {
            String lower = lowers.stream().map(Path::toString).collect(Collectors.joining(":"));
            mounts.mount("overlay", mountPoint, "overlay", Mounts.MS_RDONLY, "lowerdir=" + lower);
        } catch (IOException | RuntimeException e) {
            FileTrees.deleteTree(mountPoint);
            throw e;
        }
        return new View(mountPoint);
    }

    /** Adds every path under directory, parents first, in name order. */
    private static void walk(Path directory, String relative, LayerTarWriter out) throws IOException {
        String[] names;
        try (Stream<Path> children = Files.list(directory)) {
            names = children.map(child -> child.getFileName().toString()).toArray(String[]::new);
        }
        Arrays.sort(names);
        for (String name : names) {
            Path file = directory.resolve(name);
            String childRelative = relative.isEmpty() ? name : relative + "/" + name;
            Map<String, Object> attributes = Files.readAttributes(file, "unix:*", LinkOption.NOFOLLOW_LINKS);
            UpperDirScanner.Entry entry = new UpperDirScanner.Entry("/" + childRelative, file, Kind.ADDED,
                    UpperDirScanner.Form.PRESENT, attributes);
            out.add(entry);
            if (entry.isDirectory()) {
                walk(file, childRelative, out);
            }
        }
    }
}
