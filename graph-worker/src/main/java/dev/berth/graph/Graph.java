package dev.berth.graph;

import dev.berth.bus.contract.image.ImageStoreSummary;
import dev.berth.bus.contract.image.MountedSnapshot;
import dev.berth.bus.contract.image.PreparedSnapshot;
import dev.berth.graph.archive.ArchiveLoader;
import dev.berth.graph.archive.ArchiveSaver;
import dev.berth.graph.build.BuildCache;
import dev.berth.graph.commit.ContainerExporter;
import dev.berth.graph.commit.ImageCommitter;
import dev.berth.graph.commit.TarImporter;
import dev.berth.graph.content.ContentStore;
import dev.berth.graph.content.LocalContentStore;
import dev.berth.graph.db.GraphDatabase;
import dev.berth.graph.gc.GarbageCollector;
import dev.berth.graph.gc.Pins;
import dev.berth.graph.image.ImageEvents;
import dev.berth.graph.image.ImageImporter;
import dev.berth.graph.image.ImageRecord;
import dev.berth.graph.image.ImageService;
import dev.berth.graph.image.ImageStore;
import dev.berth.graph.layer.LayerStore;
import dev.berth.graph.prune.ImagePruner;
import dev.berth.graph.snapshot.OverlaySnapshotter;
import dev.berth.graph.snapshot.Snapshotter;
import dev.berth.graph.snapshot.StorageDriver;
import dev.berth.graph.snapshot.VfsSnapshotter;
import dev.berth.graph.layer.TreeCopier;
import java.sql.SQLException;
import java.util.List;
import dev.berth.graph.unpack.LayerUnpacker;
import dev.berth.graph.unpack.UnpackLimits;
import dev.berth.host.FileOps;
import dev.berth.host.HostFacts;
import dev.berth.host.Mounts;
import dev.berth.graph.registry.BlobSources;
import dev.berth.graph.registry.Puller;
import dev.berth.graph.registry.Pusher;
import dev.berth.graph.registry.RegistryLogin;
import dev.berth.graph.registry.Searcher;
import dev.berth.graph.registry.RegistryHosts;
import dev.berth.graph.registry.TokenCache;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * The graph worker's services over one root directory, assembled and cleaned up at start. Plain
 * Java: the verticle runs these methods on worker threads and converts their JSON.
 */
public final class Graph implements AutoCloseable {
    /** Version of the directory tree described in package-info; stored in the database. */
    public static final int LAYOUT_VERSION = 1;

    private final GraphOptions options;
    private final GraphDatabase db;
    private final ContentStore content;
    private final LayerStore layers;
    private final ImageStore images;
    private final Pins pins;
    private final GarbageCollector collector;
    private final Snapshotter snapshots;
    private final ImageService imageService;
    private final LayerUnpacker unpacker;
    private final ImageEvents events;
    private final ImageImporter importer;
    private final ArchiveLoader loader;
    private final ArchiveSaver saver;
    private final String backingFilesystem;
    private final RegistryHosts registryHosts;
    private final TokenCache tokens;
    private final ExecutorService downloads;
    private final ExecutorService uploads;
    private final ExecutorService compressors;
    private final Puller puller;
    private final Pusher pusher;
    private final Searcher searcher;
    private final RegistryLogin login;
    private final ImageCommitter committer;
    private final ContainerExporter exporter;
    private final TarImporter tarImporter;
    private final ImagePruner pruner;
    private final BuildCache buildCache;

    private Graph(GraphOptions options, FileOps fileOps, Mounts mounts, ImageEvents events)
            throws IOException {
        this.options = options;
        this.events = events;
        Path root = options.root();
        Files.createDirectories(root);
        this.db = GraphDatabase.open(root.resolve("graph.db"));
        db.checkLayout(LAYOUT_VERSION);
        checkStorageDriver(db, options.storageDriver(), root);
        boolean vfs = options.storageDriver() == StorageDriver.VFS;
        TreeCopier copier = new TreeCopier(fileOps);
        this.content = new LocalContentStore(root.resolve("content"));
        this.layers = new LayerStore(root, db, vfs ? copier : null);
        this.images = new ImageStore(db, content);
        this.pins = new Pins();
        this.collector = new GarbageCollector(db, layers, content, pins);
        this.snapshots = vfs ? new VfsSnapshotter(root, db, layers, pins, copier)
                : new OverlaySnapshotter(root, db, layers, pins, mounts, fileOps);
        this.imageService = new ImageService(images, layers, collector, snapshots, events, options.storageDriver().dockerName());
        this.unpacker = new LayerUnpacker(fileOps, options.limits(), vfs);
        this.importer = new ImageImporter(content, layers, images, pins, unpacker, options.limits());
        this.loader = new ArchiveLoader(content, importer, images, pins, collector, events, imageService.mutationLock());
        this.saver = new ArchiveSaver(content, images, events);
        this.backingFilesystem = backingFilesystem(root);
        this.registryHosts = new RegistryHosts(options.registries());
        this.tokens = new TokenCache(Clock.systemUTC());
        this.downloads = Executors.newFixedThreadPool(options.registries().maxConcurrentDownloads(), daemonThreads("berth-download"));
        this.uploads = Executors.newFixedThreadPool(options.registries().maxConcurrentUploads(), daemonThreads("berth-upload"));
        int cores = Runtime.getRuntime().availableProcessors();
        this.compressors = Executors.newFixedThreadPool(cores, daemonThreads("berth-compress"));
        BlobSources blobSources = new BlobSources(db);
        this.puller = new Puller(registryHosts, tokens, content, layers, importer, images, blobSources, collector, events,
                imageService.mutationLock(), downloads);
        this.pusher = new Pusher(registryHosts, tokens, content, images, blobSources, events, imageService.mutationLock(),
                uploads, compressors, cores);
        this.searcher = new Searcher(registryHosts, tokens);
        this.login = new RegistryLogin(registryHosts, tokens);
        this.committer = new ImageCommitter(snapshots, content, importer, images, imageService, pins);
        this.exporter = new ContainerExporter(snapshots);
        this.pruner = new ImagePruner(imageService, images, layers);
        this.tarImporter = new TarImporter(content, importer, imageService, pins, options.limits());
        this.buildCache = new BuildCache(db);
    }

    /**
     * The driver a store was made with is recorded in it, and a store is only opened with that
     * driver: the two keep layers in different forms (overlay's layers hold whiteout devices and
     * only their own changes; vfs's are whole trees), so one cannot read the other's. A store from
     * before the record existed was made by overlay2 if it holds anything.
     */
    private static void checkStorageDriver(GraphDatabase db, StorageDriver driver, Path root) throws IOException {
        try {
            List<String> recorded = db.query("SELECT value FROM meta WHERE key = 'storage_driver'", row -> row.getString(1));
            String made;
            if (!recorded.isEmpty()) {
                made = recorded.get(0);
            } else {
                boolean used = db.query("SELECT (SELECT COUNT(*) FROM layers) + (SELECT COUNT(*) FROM snapshots)",
                        row -> row.getLong(1)).get(0) > 0;
                made = used ? StorageDriver.OVERLAY2.dockerName() : driver.dockerName();
                db.update("INSERT INTO meta(key, value) VALUES('storage_driver', ?)", made);
            }
            if (!made.equals(driver.dockerName())) {
                throw new StorageDriverMismatchException("the image store " + root + " was made with the " + made
                        + " storage driver, not " + driver.dockerName() + ": start berthd with --storage-driver " + made
                        + ", or give it another --data-root");
            }
        } catch (SQLException e) {
            throw new IOException("image database: " + e.getMessage(), e);
        }
    }

    /** A store opened with another driver than the one that made it. */
    public static final class StorageDriverMismatchException extends IOException {
        StorageDriverMismatchException(String message) {
            super(message);
        }
    }

    /** Threads for transfers: daemon threads, so a stuck registry never holds the JVM at exit. */
    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return work -> {
            Thread thread = new Thread(work, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Opens the stores under options.root() and removes what a crash may have left. */
    public static Graph open(GraphOptions options, FileOps fileOps, Mounts mounts, ImageEvents events)
            throws IOException {
        Graph graph = new Graph(options, fileOps, mounts, events);
        try {
            graph.content.cleanIngest();
            graph.layers.cleanUp();
            graph.snapshots.cleanUp();
            graph.collector.collect();
        } catch (IOException | RuntimeException e) {
            graph.close();
            throw e;
        }
        return graph;
    }

    private static String backingFilesystem(Path root) {
        long magic = HostFacts.filesystemMagic(root);
        if (magic == 0xEF53L) {
            return "extfs";
        }
        if (magic == 0x58465342L) {
            return "xfs";
        }
        if (magic == 0x01021994L) {
            return "tmpfs";
        }
        if (magic == 0x9123683EL) {
            return "btrfs";
        }
        return magic < 0 ? "unknown" : "0x" + Long.toHexString(magic);
    }

    public GraphOptions options() {
        return options;
    }

    public ImageService images() {
        return imageService;
    }

    public ImageStore imageStore() {
        return images;
    }

    public ContentStore content() {
        return content;
    }

    public LayerStore layers() {
        return layers;
    }

    public Pins pins() {
        return pins;
    }

    public GarbageCollector collector() {
        return collector;
    }

    public LayerUnpacker unpacker() {
        return unpacker;
    }

    public ImageImporter importer() {
        return importer;
    }

    public ArchiveLoader loader() {
        return loader;
    }

    public ArchiveSaver saver() {
        return saver;
    }

    public Puller puller() {
        return puller;
    }

    public Pusher pusher() {
        return pusher;
    }

    public RegistryLogin login() {
        return login;
    }

    public Searcher searcher() {
        return searcher;
    }

    public RegistryHosts registryHosts() {
        return registryHosts;
    }

    public TokenCache tokens() {
        return tokens;
    }

    public ImageEvents events() {
        return events;
    }

    public BuildCache buildCache() {
        return buildCache;
    }

    public ImageCommitter committer() {
        return committer;
    }

    public ContainerExporter exporter() {
        return exporter;
    }

    public ImagePruner pruner() {
        return pruner;
    }

    public TarImporter tarImporter() {
        return tarImporter;
    }

    public Snapshotter snapshots() {
        return snapshots;
    }

    public ImageStoreSummary summary() throws IOException {
        return imageService.summary(backingFilesystem);
    }

    // ---- snapshots, as the exec worker asks for them ---------------------------------------

    /**
     * Under the images' mutation lock, so that a removal either sees this lease or has already
     * deleted the image (and the prepare fails with NOT_FOUND).
     */
    public PreparedSnapshot prepareSnapshot(String id, String imageRef) throws IOException {
        Snapshotter.checkId(id);
        ImageRecord image;
        Snapshotter.Snapshot snapshot;
        synchronized (imageService.mutationLock()) {
            image = images.resolve(imageRef);
            snapshot = snapshots.prepare(id, image.id(), image.topChain());
        }
        return new PreparedSnapshot(snapshot.id(), image.id().toString());
    }

    /** Under vfs there are no overlay directories: upper, work and lower are absent. */
    public MountedSnapshot mountSnapshot(String id) throws IOException {
        Snapshotter.Snapshot snapshot = snapshots.mount(id);
        String lower = snapshots.lowerDirs(id).stream().map(Path::toString).collect(Collectors.joining(":"));
        return new MountedSnapshot(snapshot.rootfs().toString(), snapshot.upperDir() == null ? null : snapshot.upperDir().toString(),
                snapshot.workDir() == null ? null : snapshot.workDir().toString(), lower.isEmpty() ? null : lower);
    }

    public void unmountSnapshot(String id) throws IOException {
        snapshots.unmount(id);
    }

    /** Releases the container's lease; the layers only it held are collected. */
    public void removeSnapshot(String id) throws IOException {
        if (snapshots.remove(id)) {
            collector.collect();
        }
    }

    @Override
    public void close() {
        downloads.shutdownNow();
        uploads.shutdownNow();
        compressors.shutdownNow();
        db.close();
    }
}
