package dev.berth.graph.snapshot;

import dev.berth.bus.EngineException;
import dev.berth.graph.content.Digest;
import dev.berth.graph.image.ImageLeases;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Root file systems for containers: a private writable layer over an image's shared, read-only
 * layers ({@link OverlaySnapshotter}), or a whole private copy of the image's tree where overlay
 * is missing ({@link VfsSnapshotter}).
 *
 * <p><b>Vocabulary.</b> A snapshot is keyed by its container's id. It stands on the image's top
 * layer (a chain id), and owns an upper directory (the container's changes), a work directory
 * (the file system's scratch space) and a mount point. Its layers are shared with the image and
 * with every other snapshot of it, and are never written.
 *
 * <p><b>Lifecycle.</b> {@link #prepare} records the snapshot and creates its directories; from
 * then on the snapshot keeps its layers alive, even if its image is deleted. {@link #mount}
 * mounts it and answers the root file system's path; {@link #unmount} undoes that, and the
 * changes stay in the upper directory for the next mount. {@link #remove} unmounts and deletes
 * the changes. Every step is idempotent: preparing twice, mounting a mounted snapshot (also one
 * mounted by an earlier run of the daemon: mounts are looked up in the kernel's table, not in
 * memory) or removing an absent one are not errors, because the caller (the exec worker)
 * retries after crashes.
 *
 * <p><b>Leases.</b> A snapshot is its container's lease on the image: {@link #holders} answers
 * who holds an image, and whether they run (their snapshot is mounted), from the snapshot records
 * and the kernel's mount table, which outlive a restart of the daemon as the containers do.
 *
 * <p>Methods block (mount(2), directory trees): call them from worker threads. They are safe for
 * concurrent use; calls for one snapshot are serialised.
 */
public interface Snapshotter extends ImageLeases {
    /**
     * One snapshot; rootfs is where it is (or would be) mounted. upperDir and workDir are
     * overlay's, null under vfs.
     */
    record Snapshot(String id, Digest image, Digest topChain, Path rootfs, Path upperDir, Path workDir) {
    }

    /** A read-only view of a container's whole file system (for export); close releases it. */
    interface View extends AutoCloseable {
        Path root();

        @Override
        void close() throws IOException;
    }

    /** The id itself, or INVALID_ARGUMENT when it could not name a directory of ours. */
    static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw EngineException.invalid("invalid snapshot id: " + id);
        }
        return id;
    }

    /** What a snapshot id may be: a container's id or name-like key, safe as a directory name. */
    Pattern ID = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$");

    /** The driver this snapshotter is. */
    StorageDriver driver();

    /**
     * The container's changes against its image, parents before children. mountPoints are
     * absolute paths whose new empty files are the runtime's mount targets, not changes.
     */
    List<FileChange> changes(String id, Set<String> mountPoints) throws IOException;

    /** The container's whole file system, read-only, whether it runs or not; NOT_FOUND without a snapshot. */
    View view(String id) throws IOException;

    /** Creates (or finds) the snapshot of container id over an image whose top layer is topChain. */
    Snapshot prepare(String id, Digest image, Digest topChain) throws IOException;

    /** Mounts the snapshot (or finds it mounted); NOT_FOUND when it was never prepared. */
    Snapshot mount(String id) throws IOException;

    /** The lower directories of a snapshot, topmost first, as overlay stacks them; empty under vfs. */
    List<Path> lowerDirs(String id) throws IOException;

    /** Unmounts; absent or unmounted snapshots are not an error. */
    void unmount(String id) throws IOException;

    /** Unmounts and deletes; returns false when there was nothing to remove. */
    boolean remove(String id) throws IOException;

    Optional<Snapshot> get(String id) throws IOException;

    /** At start: deletes snapshot directories no record names (unless something is mounted there). */
    void cleanUp() throws IOException;
}
