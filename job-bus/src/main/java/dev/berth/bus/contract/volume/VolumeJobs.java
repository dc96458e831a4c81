package dev.berth.bus.contract.volume;

import dev.berth.bus.JobBus;
import io.vertx.core.Future;

/** What route groups ask of the exec worker about volumes, one method per job. */
public interface VolumeJobs {
    Future<VolumeView> create(CreateVolume args);

    Future<VolumeView> inspect(VolumeRef args);

    Future<VolumeList> list(ListVolumes args);

    Future<Void> remove(RemoveVolume args);

    Future<PrunedVolumes> prune(PruneVolumes args);

    /** The jobs sent on {@code bus}. */
    static VolumeJobs over(JobBus bus) {
        return new VolumeJobs() {
            @Override
            public Future<VolumeView> create(CreateVolume args) {
                return bus.call(VolumeJobTypes.CREATE, args);
            }

            @Override
            public Future<VolumeView> inspect(VolumeRef args) {
                return bus.call(VolumeJobTypes.INSPECT, args);
            }

            @Override
            public Future<VolumeList> list(ListVolumes args) {
                return bus.call(VolumeJobTypes.LIST, args);
            }

            @Override
            public Future<Void> remove(RemoveVolume args) {
                return bus.call(VolumeJobTypes.REMOVE, args);
            }

            @Override
            public Future<PrunedVolumes> prune(PruneVolumes args) {
                return bus.call(VolumeJobTypes.PRUNE, args);
            }
        };
    }
}
