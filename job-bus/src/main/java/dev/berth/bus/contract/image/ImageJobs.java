package dev.berth.bus.contract.image;

import dev.berth.bus.JobBus;
import dev.berth.bus.stream.JobStream;
import io.vertx.core.Future;

/** The graph worker's jobs as calls: what the gateway's image routes and the exec worker use. */
public interface ImageJobs {
    /** Opens a load; write the archive into the stream, read progress messages from it. */
    Future<JobStream> load(LoadImage args);

    /** Opens a save; the stream carries the tar. */
    Future<JobStream> save(SaveImages args);

    Future<ImageList> list(ListImages args);

    /** Opens a pull; read progress messages from the stream. */
    Future<JobStream> pull(PullImage args);

    /** Opens a push; read progress messages from the stream. */
    Future<JobStream> push(PushImage args);

    Future<SearchResults> search(SearchImages args);

    Future<LoginResult> login(RegistryAuth credentials);

    Future<ImageView> inspect(String ref);

    Future<Void> tag(TagImage args);

    Future<RemovedImages> remove(RemoveImage args);

    Future<ImageStoreSummary> summary();

    Future<PreparedSnapshot> prepareSnapshot(String containerId, String image);

    Future<MountedSnapshot> mountSnapshot(String containerId);

    Future<Void> unmountSnapshot(String containerId);

    Future<Void> removeSnapshot(String containerId);

    Future<ContainerChanges> changes(ContainerChangesRequest args);

    Future<CommittedImage> commit(CommitImage args);

    /** Opens an export of a container's file system; the stream carries the tar. */
    Future<JobStream> export(String containerId);

    /** Opens an import; write the tar into the stream, read the new image's id from it. */
    Future<JobStream> importImage(ImportImage args);

    Future<PrunedImages> prune(PruneImages args);

    /** See {@link ImageJobTypes#BUILD_PRUNE}. */
    Future<PrunedBuildCache> pruneBuildCache();

    /** See {@link ImageJobTypes#BUILD_USAGE}. */
    Future<BuildCacheUsage> buildCacheUsage();

    /** Opens a build; write the context tar into the stream, read {@link BuildProgress} from it. */
    Future<JobStream> build(BuildImage args);

    Future<ImageUsage> usage();

    static ImageJobs over(JobBus bus) {
        return new ImageJobs() {
            @Override
            public Future<JobStream> load(LoadImage args) {
                return bus.open(ImageJobTypes.LOAD, args);
            }

            @Override
            public Future<JobStream> save(SaveImages args) {
                return bus.open(ImageJobTypes.SAVE, args);
            }

            @Override
            public Future<JobStream> pull(PullImage args) {
                return bus.open(ImageJobTypes.PULL, args);
            }

            @Override
            public Future<JobStream> push(PushImage args) {
                return bus.open(ImageJobTypes.PUSH, args);
            }

            @Override
            public Future<SearchResults> search(SearchImages args) {
                return bus.call(ImageJobTypes.SEARCH, args);
            }

            @Override
            public Future<LoginResult> login(RegistryAuth credentials) {
                return bus.call(ImageJobTypes.LOGIN, credentials);
            }

            @Override
            public Future<ImageList> list(ListImages args) {
                return bus.call(ImageJobTypes.LIST, args);
            }

            @Override
            public Future<ImageView> inspect(String ref) {
                return bus.call(ImageJobTypes.INSPECT, new ImageRef(ref));
            }

            @Override
            public Future<Void> tag(TagImage args) {
                return bus.call(ImageJobTypes.TAG, args);
            }

            @Override
            public Future<RemovedImages> remove(RemoveImage args) {
                return bus.call(ImageJobTypes.REMOVE, args);
            }

            @Override
            public Future<ImageStoreSummary> summary() {
                return bus.call(ImageJobTypes.SUMMARY, null);
            }

            @Override
            public Future<PreparedSnapshot> prepareSnapshot(String containerId, String image) {
                return bus.call(ImageJobTypes.SNAPSHOT_PREPARE, new PrepareSnapshot(containerId, image));
            }

            @Override
            public Future<MountedSnapshot> mountSnapshot(String containerId) {
                return bus.call(ImageJobTypes.SNAPSHOT_MOUNT, new SnapshotRef(containerId));
            }

            @Override
            public Future<Void> unmountSnapshot(String containerId) {
                return bus.call(ImageJobTypes.SNAPSHOT_UNMOUNT, new SnapshotRef(containerId));
            }

            @Override
            public Future<ContainerChanges> changes(ContainerChangesRequest args) {
                return bus.call(ImageJobTypes.SNAPSHOT_CHANGES, args);
            }

            @Override
            public Future<CommittedImage> commit(CommitImage args) {
                return bus.call(ImageJobTypes.COMMIT, args);
            }

            @Override
            public Future<JobStream> export(String containerId) {
                return bus.open(ImageJobTypes.SNAPSHOT_EXPORT, new SnapshotRef(containerId));
            }

            @Override
            public Future<JobStream> importImage(ImportImage args) {
                return bus.open(ImageJobTypes.IMPORT, args);
            }

            @Override
            public Future<PrunedImages> prune(PruneImages args) {
                return bus.call(ImageJobTypes.PRUNE, args);
            }

            @Override
            public Future<PrunedBuildCache> pruneBuildCache() {
                return bus.call(ImageJobTypes.BUILD_PRUNE, null);
            }

            @Override
            public Future<BuildCacheUsage> buildCacheUsage() {
                return bus.call(ImageJobTypes.BUILD_USAGE, null);
            }

            @Override
            public Future<JobStream> build(BuildImage args) {
                return bus.open(ImageJobTypes.BUILD, args);
            }

            @Override
            public Future<ImageUsage> usage() {
                return bus.call(ImageJobTypes.USAGE, null);
            }

            @Override
            public Future<Void> removeSnapshot(String containerId) {
                return bus.call(ImageJobTypes.SNAPSHOT_REMOVE, new SnapshotRef(containerId));
            }
        };
    }
}
