package dev.berth.bus.contract.volume;

import dev.berth.bus.JobType;
import dev.berth.bus.WorkerKind;

/**
 * The exec worker's volume jobs. A volume is a directory on one node, and its jobs name host
 * paths: they are node-local.
 */
public final class VolumeJobTypes {
    /** INVALID_ARGUMENT for a bad name or driver option; NOT_FOUND for a driver other than local. */
    public static final JobType<CreateVolume, VolumeView> CREATE =
            JobType.request("volume.create", WorkerKind.EXEC, CreateVolume.class, VolumeView.class).nodeLocal();
    /** NOT_FOUND "get x: no such volume". */
    public static final JobType<VolumeRef, VolumeView> INSPECT =
            JobType.request("volume.inspect", WorkerKind.EXEC, VolumeRef.class, VolumeView.class).nodeLocal();
    public static final JobType<ListVolumes, VolumeList> LIST =
            JobType.request("volume.list", WorkerKind.EXEC, ListVolumes.class, VolumeList.class).nodeLocal();
    /** CONFLICT "remove x: volume is in use - [ids]". */
    public static final JobType<RemoveVolume, Void> REMOVE =
            JobType.request("volume.remove", WorkerKind.EXEC, RemoveVolume.class, Void.class).nodeLocal();
    public static final JobType<PruneVolumes, PrunedVolumes> PRUNE =
            JobType.request("volume.prune", WorkerKind.EXEC, PruneVolumes.class, PrunedVolumes.class).nodeLocal();

    private VolumeJobTypes() {
    }
}
