package dev.berth.bus.contract.image;

import dev.berth.bus.JobType;
import dev.berth.bus.WorkerKind;
import java.time.Duration;

/**
 * The graph worker's jobs: images, and the snapshots that are containers' root file systems.
 *
 * <p>Every snapshot job is node-local: a snapshot is directories and a mount on one node's disk,
 * and its mount reply names host paths. Placed on another node, a removal would find nothing and
 * succeed, leaking the snapshot and its lease.
 */
public final class ImageJobTypes {
    /** Lookups answer from the database; a slow one means a stuck worker. */
    private static final Duration LOOKUP = Duration.ofSeconds(30);
    /** Removing an image or a snapshot deletes directory trees (layers, a container's changes). */
    private static final Duration DELETION = Duration.ofMinutes(5);
    /** A question to a registry over the network. */
    private static final Duration REGISTRY = Duration.ofMinutes(2);
    /** Mounting and preparing are a few syscalls, but may queue behind other jobs of the pool. */
    private static final Duration SNAPSHOT = Duration.ofMinutes(1);

    /** Stream: the archive in, progress messages out; accepted at once, so the deadline is short. */
    public static final JobType<LoadImage, Void> LOAD =
            JobType.stream("image.load", WorkerKind.GRAPH, LoadImage.class, Void.class).withDeadline(LOOKUP);
    /** Stream: a tar out; accepted once every name resolved (an unknown one refuses the job). */
    public static final JobType<SaveImages, Void> SAVE =
            JobType.stream("image.save", WorkerKind.GRAPH, SaveImages.class, Void.class).withDeadline(LOOKUP);
    public static final JobType<ListImages, ImageList> LIST =
            JobType.request("image.list", WorkerKind.GRAPH, ListImages.class, ImageList.class).withDeadline(LOOKUP);
    /** Stream: progress out. Accepted at once; the deadline bounds acceptance, not the pull. */
    public static final JobType<PullImage, Void> PULL =
            JobType.stream("image.pull", WorkerKind.GRAPH, PullImage.class, Void.class).withDeadline(LOOKUP);
    /** Stream: progress out, the last line naming the pushed manifest. */
    public static final JobType<PushImage, Void> PUSH =
            JobType.stream("image.push", WorkerKind.GRAPH, PushImage.class, Void.class).withDeadline(LOOKUP);
    /** Asks a registry: its search endpoint or its catalog, which may take a while on a large one. */
    public static final JobType<SearchImages, SearchResults> SEARCH =
            JobType.request("image.search", WorkerKind.GRAPH, SearchImages.class, SearchResults.class).withDeadline(REGISTRY);
    /** Checks credentials against a registry (POST /auth); nothing is stored. */
    public static final JobType<RegistryAuth, LoginResult> LOGIN =
            JobType.request("registry.login", WorkerKind.GRAPH, RegistryAuth.class, LoginResult.class).withDeadline(REGISTRY);
    public static final JobType<ImageRef, ImageView> INSPECT =
            JobType.request("image.inspect", WorkerKind.GRAPH, ImageRef.class, ImageView.class).withDeadline(LOOKUP);
    public static final JobType<TagImage, Void> TAG =
            JobType.request("image.tag", WorkerKind.GRAPH, TagImage.class, Void.class).withDeadline(LOOKUP);
    public static final JobType<RemoveImage, RemovedImages> REMOVE =
            JobType.request("image.remove", WorkerKind.GRAPH, RemoveImage.class, RemovedImages.class).withDeadline(DELETION);
    public static final JobType<Void, ImageStoreSummary> SUMMARY =
            JobType.request("image.summary", WorkerKind.GRAPH, Void.class, ImageStoreSummary.class).withDeadline(LOOKUP);

    public static final JobType<PrepareSnapshot, PreparedSnapshot> SNAPSHOT_PREPARE =
            JobType.request("snapshot.prepare", WorkerKind.GRAPH, PrepareSnapshot.class, PreparedSnapshot.class)
                    .withDeadline(SNAPSHOT).nodeLocal();
    /** Mounts (or finds mounted) the root file system; NOT_FOUND if never prepared. */
    public static final JobType<SnapshotRef, MountedSnapshot> SNAPSHOT_MOUNT =
            JobType.request("snapshot.mount", WorkerKind.GRAPH, SnapshotRef.class, MountedSnapshot.class)
                    .withDeadline(SNAPSHOT).nodeLocal();
    /** Unmounts; the changes stay for the next mount. An unmounted or absent snapshot is no error. */
    public static final JobType<SnapshotRef, Void> SNAPSHOT_UNMOUNT =
            JobType.request("snapshot.unmount", WorkerKind.GRAPH, SnapshotRef.class, Void.class)
                    .withDeadline(SNAPSHOT).nodeLocal();
    /** Unmounts, deletes the changes and releases the lease; an absent snapshot is no error. */
    public static final JobType<SnapshotRef, Void> SNAPSHOT_REMOVE =
            JobType.request("snapshot.remove", WorkerKind.GRAPH, SnapshotRef.class, Void.class)
                    .withDeadline(DELETION).nodeLocal();

    /** Compares a container's snapshot with its image: a walk of its upper directory. */
    public static final JobType<ContainerChangesRequest, ContainerChanges> SNAPSHOT_CHANGES =
            JobType.request("snapshot.changes", WorkerKind.GRAPH, ContainerChangesRequest.class, ContainerChanges.class)
                    .withDeadline(DELETION).nodeLocal();
    /** Turns a container's changes into a layer and a new image; reads its whole upper directory. */
    public static final JobType<CommitImage, CommittedImage> COMMIT =
            JobType.request("image.commit", WorkerKind.GRAPH, CommitImage.class, CommittedImage.class)
                    .withDeadline(Duration.ofMinutes(30)).nodeLocal();

    /** Stream: a container's whole file system as a tar out; accepted once it is mounted for reading. */
    public static final JobType<SnapshotRef, Void> SNAPSHOT_EXPORT =
            JobType.stream("snapshot.export", WorkerKind.GRAPH, SnapshotRef.class, Void.class)
                    .withDeadline(SNAPSHOT).nodeLocal();
    /** Stream: a tar in, one {@link CommittedImage} out; accepted at once. */
    public static final JobType<ImportImage, Void> IMPORT =
            JobType.stream("image.import", WorkerKind.GRAPH, ImportImage.class, Void.class).withDeadline(LOOKUP);

    /**
     * Stream: a build context tar in, {@link BuildProgress} out; accepted at once. Node-local: its
     * RUN steps' containers commit into this node's snapshots.
     */
    public static final JobType<BuildImage, Void> BUILD =
            JobType.stream("image.build", WorkerKind.GRAPH, BuildImage.class, Void.class).withDeadline(LOOKUP).nodeLocal();

    public static final JobType<PruneImages, PrunedImages> PRUNE =
            JobType.request("image.prune", WorkerKind.GRAPH, PruneImages.class, PrunedImages.class).withDeadline(DELETION);

    /** docker builder prune: the classic builder's cache forgets its steps; the images stay. */
    public static final JobType<Void, PrunedBuildCache> BUILD_PRUNE =
            JobType.request("image.build.prune", WorkerKind.GRAPH, Void.class, PrunedBuildCache.class).withDeadline(DELETION);

    /** docker system df's build cache: the steps the classic builder's cache holds. */
    public static final JobType<Void, BuildCacheUsage> BUILD_USAGE =
            JobType.request("image.build.usage", WorkerKind.GRAPH, Void.class, BuildCacheUsage.class).withDeadline(LOOKUP);

    public static final JobType<Void, ImageUsage> USAGE =
            JobType.request("image.usage", WorkerKind.GRAPH, Void.class, ImageUsage.class).withDeadline(LOOKUP);

    private ImageJobTypes() {
    }
}
