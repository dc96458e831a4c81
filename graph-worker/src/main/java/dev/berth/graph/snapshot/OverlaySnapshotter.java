package dev.berth.graph.snapshot;

import dev.berth.host.FileTrees;
import dev.berth.bus.EngineException;
import dev.berth.graph.content.Digest;
import dev.berth.graph.db.GraphDatabase;
import dev.berth.graph.gc.Pins;
import dev.berth.graph.image.ImageLeases;
import dev.berth.graph.layer.LayerStore;
import dev.berth.graph.unpack.LayerUnpacker;
import dev.berth.host.FileOps;
import dev.berth.host.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Snapshots as overlayfs mounts: {@code snapshots/<id>/{upper,work,merged}} over the layers' links. */
public final class OverlaySnapshotter implements Snapshotter {
    /** mount(2) takes at most one page of options. */
    private static final int MAX_OPTIONS = 4095;
    private static final Path OVERLAY_INDEX_PARAMETER = Path.of("/sys/module/overlay/parameters/index");

    private final Path snapshots;
    private final SnapshotRecords records;
    private final LayerStore layers;
    private final Mounts mounts;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final UpperDirScanner scanner;

    public OverlaySnapshotter(Path root, GraphDatabase db, LayerStore layers, Pins pins, Mounts mounts, FileOps fileOps)
            throws IOException {
        this.scanner = new UpperDirScanner(fileOps);
        this.snapshots = root.resolve("snapshots");
        this.records = new SnapshotRecords(db, layers, pins);
        this.layers = layers;
        this.mounts = mounts;
        Files.createDirectories(snapshots);
    }

    @Override
    public StorageDriver driver() {
        return StorageDriver.OVERLAY2;
    }

    @Override
    public List<FileChange> changes(String id, Set<String> mountPoints) throws IOException {
        Snapshot snapshot = get(id).orElseThrow(() -> EngineException.notFound("No such container: " + id));
        return scanner.scan(snapshot.upperDir(), lowerDirs(id), mountPoints);
    }

    /**
     * The container's changes and its image's layers stacked in a private read-only overlay mount
     * (the upper directory as the topmost lower one, so its whiteouts hide what they deleted),
     * which neither disturbs the container's own mount nor depends on the container running. The
     * mount lives inside the snapshot's directory, so removing the container also removes one
     * left by a crash.
     */
    @Override
    public View view(String id) throws IOException {
        Snapshot snapshot = get(id).orElseThrow(() -> EngineException.notFound("No such container: " + id));
        List<Path> lowers = new ArrayList<>();
        lowers.add(snapshot.upperDir());
        lowers.addAll(lowerDirs(id));
        Path mountPoint = snapshot.rootfs().resolveSibling("export-" + UUID.randomUUID());
        Files.createDirectories(mountPoint);
        try {
            String lower = lowers.stream().map(Path::toString).collect(Collectors.joining(":"));
            mounts.mount("overlay", mountPoint, "overlay", Mounts.MS_RDONLY, "lowerdir=" + lower);
        } catch (IOException | RuntimeException e) {
            FileTrees.deleteTree(mountPoint);
            throw e;
        }
        return new View() {
            @Override
            public Path root() {
                return mountPoint;
            }

            @Override
            public void close() throws IOException {
                mounts.unmount(mountPoint, Mounts.MNT_DETACH);
                FileTrees.deleteTree(mountPoint);
            }
        };
    }

    private Object lock(String id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    private Snapshot snapshot(String id, Digest image, Digest top) {
        Path directory = snapshots.resolve(id);
        return new Snapshot(id, image, top, directory.resolve("merged"), directory.resolve("upper"), directory.resolve("work"));
    }

    @Override
    public Optional<Snapshot> get(String id) throws IOException {
        return records.get(id).map(entry -> snapshot(id, entry.image(), entry.topChain()));
    }

    @Override
    public List<ImageLeases.Lease> holders(Digest image) throws IOException {
        List<String> holders = records.holders(image);
        if (holders.isEmpty()) {
            return List.of();
        }
        var mounted = new HashSet<>(mounts.mountsUnder(snapshots.toAbsolutePath().normalize()));
        List<ImageLeases.Lease> leases = new ArrayList<>();
        for (String id : holders) {
            Path rootfs = snapshots.resolve(id).resolve("merged").toAbsolutePath().normalize();
            leases.add(new ImageLeases.Lease(id, mounted.contains(rootfs)));
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
                Snapshot found = snapshot(id, existing.get().image(), existing.get().topChain());
                createDirectories(found);
                return found;
            }
            Snapshot created = snapshot(id, image, topChain);
            records.add(id, image, topChain, () -> createDirectories(created));
            return created;
        }
    }

    private void createDirectories(Snapshot snapshot) throws IOException {
        Files.createDirectories(snapshot.upperDir());
        Files.createDirectories(snapshot.workDir());
        Files.createDirectories(snapshot.rootfs());
        if (snapshot.topChain() == null) {
            Files.createDirectories(emptyLower(snapshot.id()));
        }
    }

    private Path emptyLower(String id) {
        return snapshots.resolve(id).resolve("empty");
    }

    @Override
    public List<Path> lowerDirs(String id) throws IOException {
        Snapshot snapshot = get(id).orElseThrow(() -> EngineException.notFound("no snapshot for container " + id));
        if (snapshot.topChain() == null) {
            return List.of(emptyLower(id));
        }
        List<Path> lower = new ArrayList<>();
        for (LayerStore.Layer layer : layers.stack(snapshot.topChain())) {
            lower.add(layers.link(layer.chainId()));
        }
        return lower;
    }

    @Override
    public Snapshot mount(String id) throws IOException {
        Snapshotter.checkId(id);
        synchronized (lock(id)) {
            Snapshot snapshot = get(id).orElseThrow(() -> EngineException.notFound("no snapshot for container " + id));
            if (isMounted(snapshot.rootfs())) {
                return snapshot;
            }
            createDirectories(snapshot);
            String lower = lowerDirs(id).stream().map(Path::toString).collect(Collectors.joining(":"));
            String options = "lowerdir=" + lower + ",upperdir=" + snapshot.upperDir() + ",workdir=" + snapshot.workDir();
            if (Files.exists(OVERLAY_INDEX_PARAMETER)) {
                options += ",index=off";
            }
            if (options.length() > MAX_OPTIONS) {
                throw EngineException.internal("the image has too many layers for one overlay mount", null);
            }
            mounts.mount("overlay", snapshot.rootfs(), "overlay", 0, options);
            return snapshot;
        }
    }

    private boolean isMounted(Path mountPoint) throws IOException {
        return mounts.mountsUnder(mountPoint).contains(mountPoint.toAbsolutePath().normalize());
    }

    /** Lazily unmounts whatever is mounted at or below directory, deepest first. */
    private void unmountAllUnder(Path directory) throws IOException {
        for (Path mount : mounts.mountsUnder(directory)) {
            mounts.unmount(mount, Mounts.MNT_DETACH);
        }
    }

    @Override
    public void unmount(String id) throws IOException {
        Snapshotter.checkId(id);
        synchronized (lock(id)) {
            Path directory = snapshots.resolve(id);
            unmountAllUnder(directory);
        }
    }

    @Override
    public boolean remove(String id) throws IOException {
        Snapshotter.checkId(id);
        synchronized (lock(id)) {
            Path directory = snapshots.resolve(id);
            unmountAllUnder(directory);
            if (!mounts.mountsUnder(directory).isEmpty()) {
                throw EngineException.internal("cannot unmount the root file system of " + id, null);
            }
            FileTrees.deleteTree(directory);
            try {
                return records.remove(id);
            } finally {
                locks.remove(id);
            }
        }
    }

    @Override
    public void cleanUp() throws IOException {
        try (Stream<Path> entries = Files.list(snapshots)) {
            for (Path entry : entries.toList()) {
                String id = entry.getFileName().toString();
                if (!ID.matcher(id).matches() || get(id).isEmpty()) {
                    if (mounts.mountsUnder(entry).isEmpty()) {
                        FileTrees.deleteTree(entry);
                    }
                }
            }
        }
    }
}
