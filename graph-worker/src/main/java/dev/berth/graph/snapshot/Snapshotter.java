package dev.berth.graph.snapshot;

import dev.berth.graph.content.Digest;
import dev.berth.graph.image.ImageLeases;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Root file systems for containers: a private writable layer over an image's shared, read-only
 * layers.
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
    /** One snapshot; rootfs is where it is (or would be) mounted. */
    record Snapshot(String id, Digest image, Digest topChain, Path rootfs, Path upperDir, Path workDir) {
    }

    /** Creates (or finds) the snapshot of container id over an image whose top layer is topChain. */
    Snapshot prepare(String id, Digest image, Digest topChain) throws IOException;

    /** Mounts the snapshot (or finds it mounted); NOT_FOUND when it was never prepared. */
    Snapshot mount(String id) throws IOException;

    /** The lower directories of a snapshot, topmost first, as overlay stacks them. */
    List<Path> lowerDirs(String id) throws IOException;

    /** Unmounts; absent or unmounted snapshots are not an error. */
    void unmount(String id) throws IOException;

    /** Unmounts and deletes; returns false when there was nothing to remove. */
    boolean remove(String id) throws IOException;

    Optional<Snapshot> get(String id) throws IOException;

    /** At start: deletes snapshot directories no record names (unless something is mounted there). */
    void cleanUp() throws IOException;
}
