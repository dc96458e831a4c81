package dev.berth.graph.snapshot;

import dev.berth.bus.EngineException;
import dev.berth.graph.content.Digest;
import dev.berth.graph.db.GraphDatabase;
import dev.berth.graph.gc.Pins;
import dev.berth.graph.image.ImageLeases;
import dev.berth.graph.layer.LayerStore;
import dev.berth.graph.layer.TreeCopier;
import dev.berth.host.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Snapshots as whole copies, for hosts without overlayfs: {@code snapshots/<id>/rootfs} is a
 * private copy of the image's top layer (itself a whole tree under vfs), written in place by the
 * container, and needs no mount. The copy is made at the first {@link #mount} (so a create under
 * the images' lock stays quick) into a temporary name and renamed when complete: a crash leaves
 * no half tree under {@code rootfs}, and the temporary one is swept at start. A container's
 * changes are found by comparing its tree with the image's ({@link TreeComparer}).
 *
 * <p>Nothing is mounted, so "in use" (a running container's lease) is a marker file beside the
 * tree, written by mount and removed by unmount; like a mount, it outlives the daemon.
 */
public final class VfsSnapshotter implements Snapshotter {
    private static final String ROOTFS = "rootfs";
    private static final String IN_USE = "in-use";
    private static final String TEMP_PREFIX = ".tmp-";
    private static final String TRASH_PREFIX = ".trash-";

    private final Path snapshots;
    private final SnapshotRecords records;
    private final LayerStore layers;
    private final TreeCopier copier;
    private final TreeComparer comparer = new TreeComparer();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public VfsSnapshotter(Path root, GraphDatabase db, LayerStore layers, Pins pins, TreeCopier copier) throws IOException {
        this.snapshots = root.resolve("snapshots");
        this.records = new SnapshotRecords(db, layers, pins);
        this.layers = layers;
        this.copier = copier;
        Files.createDirectories(snapshots);
    }

    @Override
    public StorageDriver driver() {
        return StorageDriver.VFS;
    }

    private Object lock(String id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    private Snapshot snapshot(String id, Digest image, Digest top) {
        return new Snapshot(id, image, top, snapshots.resolve(id).resolve(ROOTFS), null, null);
    }

    @Override
    public Optional<Snapshot> get(String id) throws IOException {
        return records.get(id).map(entry -> snapshot(id, entry.image(), entry.topChain()));
    }

    @Override
    public List<ImageLeases.Lease> holders(Digest image) throws IOException {
        List<ImageLeases.Lease> leases = new ArrayList<>();
        for (String id : records.holders(image)) {
            leases.add(new ImageLeases.Lease(id, Files.exists(snapshots.resolve(id).resolve(IN_USE))));
        }
        return leases;
    }

    @Override
    public int count(Digest image) throws IOException {
        return records.count(image);
    }

    @Override
    public Snapshot prepare(String id, Digest image, Digest topChain) throws IOException {
        Snapshotter.checkId(id);
        synchronized (lock(id)) {
            Optional<SnapshotRecords.Entry> existing = records.existing(id, image);
            if (existing.isPresent()) {
                return snapshot(id, existing.get().image(), existing.get().topChain());
            }
            records.add(id, image, topChain, () -> Files.createDirectories(snapshots.resolve(id)));
            return snapshot(id, image, topChain);
        }
    }

    @Override
    public List<Path> lowerDirs(String id) throws IOException {
        get(id).orElseThrow(() -> EngineException.notFound("no snapshot for container " + id));
        return List.of();
    }

    @Override
    public Snapshot mount(String id) throws IOException {
        Snapshotter.checkId(id);
        synchronized (lock(id)) {
            Snapshot snapshot = get(id).orElseThrow(() -> EngineException.notFound("no snapshot for container " + id));
            materialise(snapshot);
            Path marker = snapshots.resolve(id).resolve(IN_USE);
            if (!Files.exists(marker)) {
                Files.createFile(marker);
            }
            return snapshot;
        }
    }

    /** Makes the container's copy of its image when it has none yet. The caller holds the snapshot's lock. */
    private void materialise(Snapshot snapshot) throws IOException {
        if (Files.isDirectory(snapshot.rootfs(), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path directory = snapshots.resolve(snapshot.id());
        Files.createDirectories(directory);
        Path temp = directory.resolve(TEMP_PREFIX + UUID.randomUUID());
        Files.createDirectory(temp);
        try {
            if (snapshot.topChain() != null) {
                copier.copyInto(layers.diffDirectory(snapshot.topChain()), temp);
            }
            Files.move(temp, snapshot.rootfs(), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            FileTrees.deleteTree(temp);
        }
    }

    @Override
    public void unmount(String id) throws IOException {
        Snapshotter.checkId(id);
        synchronized (lock(id)) {
            Files.deleteIfExists(snapshots.resolve(id).resolve(IN_USE));
        }
    }

    /** The snapshot's directory goes aside first, so a crash while deleting never leaves a half tree under its name. */
    @Override
    public boolean remove(String id) throws IOException {
        Snapshotter.checkId(id);
        synchronized (lock(id)) {
            Path directory = snapshots.resolve(id);
            Path trash = null;
            if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                trash = snapshots.resolve(TRASH_PREFIX + UUID.randomUUID());
                Files.move(directory, trash, StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                return records.remove(id);
            } finally {
                locks.remove(id);
                if (trash != null) {
                    FileTrees.deleteTree(trash);
                }
            }
        }
    }

    @Override
    public List<FileChange> changes(String id, Set<String> mountPoints) throws IOException {
        Snapshot snapshot = get(id).orElseThrow(() -> EngineException.notFound("No such container: " + id));
        if (!Files.isDirectory(snapshot.rootfs(), LinkOption.NOFOLLOW_LINKS)) {
            return List.of(); // never started nor copied into: nothing changed
        }
        Path image = snapshot.topChain() == null ? null : layers.diffDirectory(snapshot.topChain());
        return comparer.compare(image, snapshot.rootfs(), mountPoints);
    }

    /** The container's own tree; the image's when the container has no copy yet (it changed nothing). */
    @Override
    public View view(String id) throws IOException {
        Snapshot snapshot = get(id).orElseThrow(() -> EngineException.notFound("No such container: " + id));
        Path root;
        Path empty = null;
        if (Files.isDirectory(snapshot.rootfs(), LinkOption.NOFOLLOW_LINKS)) {
            root = snapshot.rootfs();
        } else if (snapshot.topChain() != null) {
            root = layers.diffDirectory(snapshot.topChain());
        } else {
            empty = Files.createDirectories(snapshots.resolve(id).resolve(TEMP_PREFIX + UUID.randomUUID()));
            root = empty;
        }
        Path toDelete = empty;
        return new View() {
            @Override
            public Path root() {
                return root;
            }

            @Override
            public void close() throws IOException {
                if (toDelete != null) {
                    FileTrees.deleteTree(toDelete);
                }
            }
        };
    }

    /** At start: deletes unrecorded, trashed and half-copied trees. */
    @Override
    public void cleanUp() throws IOException {
        try (Stream<Path> entries = Files.list(snapshots)) {
            for (Path entry : entries.toList()) {
                String id = entry.getFileName().toString();
                if (!ID.matcher(id).matches() || get(id).isEmpty()) {
                    FileTrees.deleteTree(entry);
                    continue;
                }
                try (Stream<Path> inside = Files.list(entry)) {
                    for (Path leftover : inside.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX)).toList()) {
                        FileTrees.deleteTree(leftover);
                    }
                }
            }
        }
    }
}
