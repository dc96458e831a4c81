package dev.berth.bus;

/**
 * Every job type, and the worker that takes it. The arguments and replies of each are JSON; the
 * shapes are documented here because this is the contract between the gateway and the workers,
 * and between workers. A "ref" is whatever a user may type: a full or short id, or a name.
 */
public final class JobTypes {
    // ---- exec-worker: containers ------------------------------------------------------------
    // The container jobs are typed: dev.berth.bus.contract.container.ContainerJobTypes. These two
    // stay for callers not yet converted.

    /** {ref} → a container view (ContainerView's JSON). */
    public static final String CONTAINER_INSPECT = "container.inspect";
    /** {} → {running, paused, stopped}. */
    public static final String CONTAINER_SUMMARY = "container.summary";

    // ---- graph-worker: images and snapshots -------------------------------------------------

    /** Stream. {quiet} → accept {}. Caller → worker: the archive. Worker → caller: progress JSON objects, one per chunk. */
    public static final String IMAGE_LOAD = "image.load";
    /** Stream. {refs:[..]} → accept {}. Worker → caller: a tar archive. */
    public static final String IMAGE_SAVE = "image.save";
    /** {all, filters{name:[values]}} → {images:[view]}. */
    public static final String IMAGE_LIST = "image.list";
    /**
     * {ref} → an image view (field names in graph-worker's ImageViews: id, repoTags, repoDigests,
     * created, createdUnix, architecture, os, size, config (verbatim), rootfs{type, layers},
     * history, labels, ...). ref: name[:tag], name@digest, full or short id, sha256:id.
     * NOT_FOUND: "No such image: x", x as Docker shows it (busybox:latest for busybox).
     */
    public static final String IMAGE_INSPECT = "image.inspect";
    /** {ref, repo, tag} → {}. */
    public static final String IMAGE_TAG = "image.tag";
    /** {ref, force, noprune} → {items:[{Untagged}|{Deleted}]}; CONFLICT while a container uses it. */
    public static final String IMAGE_REMOVE = "image.remove";
    /** {} → {images, driver, driverStatus:[[k,v]], backingFilesystem}. */
    public static final String IMAGE_SUMMARY = "image.summary";
    /**
     * {id, image} → {id, image}: a writable layer over the image's layers for container id;
     * image is any ref image.inspect takes. Idempotent; CONFLICT if id exists over another image.
     */
    public static final String SNAPSHOT_PREPARE = "snapshot.prepare";
    /**
     * {id} → {rootfs, upperDir, workDir, lowerDir}: mounts (or returns the mounted) root file
     * system, data-root/image/snapshots/{id}/merged. NOT_FOUND if never prepared.
     */
    public static final String SNAPSHOT_MOUNT = "snapshot.mount";
    /** {id} → {}. */
    public static final String SNAPSHOT_UNMOUNT = "snapshot.unmount";
    /** {id} → {}; absent snapshots are not an error. */
    public static final String SNAPSHOT_REMOVE = "snapshot.remove";

    // ---- network-worker ---------------------------------------------------------------------

    /** {} → {networks:[view]}. */
    public static final String NETWORK_LIST = "network.list";
    /** {ref} → network view. */
    public static final String NETWORK_INSPECT = "network.inspect";
    /** {containerId, mode} → {netnsPath?}: the network namespace the container will join (none for host). */
    public static final String SANDBOX_CREATE = "network.sandbox.create";
    /** {containerId} → {}; absent sandboxes are not an error. */
    public static final String SANDBOX_REMOVE = "network.sandbox.remove";

    // ---- log-stream -------------------------------------------------------------------------

    /**
     * Stream. {ref, stdout, stderr, follow, tail (-1 = all), since, until (unix nanos, 0 = unset)}
     * → accept {tty}. Worker → caller: {@link dev.berth.bus.stream.StreamRecords}.
     */
    public static final String LOGS_READ = "logs.read";

    private JobTypes() {
    }

    public static WorkerKind workerFor(String type) {
        if (type.startsWith("container.") || type.startsWith("exec.")) {
            return WorkerKind.EXEC;
        }
        if (type.startsWith("image.") || type.startsWith("snapshot.")) {
            return WorkerKind.GRAPH;
        }
        if (type.startsWith("network.")) {
            return WorkerKind.NETWORK;
        }
        if (type.startsWith("logs.")) {
            return WorkerKind.LOGS;
        }
        throw new IllegalArgumentException("no worker takes jobs of type " + type);
    }
}
