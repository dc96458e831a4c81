package dev.berth.api.image;

import dev.berth.api.model.ContainerJson;
import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobCodec;
import dev.berth.api.router.ApiVersion;
import dev.berth.bus.contract.container.ContainerJobs;
import dev.berth.bus.contract.container.ContainerList;
import dev.berth.bus.contract.container.ContainerView;
import dev.berth.bus.contract.container.ListContainers;
import dev.berth.bus.contract.image.BuildCacheRecord;
import dev.berth.bus.contract.image.BuildCacheUsage;
import dev.berth.bus.contract.image.ImageJobs;
import dev.berth.bus.contract.image.ImageList;
import dev.berth.bus.contract.image.ImageUsage;
import dev.berth.bus.contract.image.ListImages;
import dev.berth.bus.contract.image.PruneImages;
import dev.berth.bus.contract.image.RemovedImages;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * docker image prune (POST /images/prune), docker builder prune (POST /build/prune) and docker
 * system df (GET /system/df). The df answer has the images with their real container counts and
 * shared bytes, the containers, the layers' bytes counted once, and the build cache's steps;
 * Berth's volumes are not reported here yet, so that list is empty.
 */
public final class DiskUsageRoutes implements RouteGroup {
    /** The type values of GET /system/df (API 1.42+). */
    private static final Set<String> USAGE_TYPES = Set.of("container", "image", "volume", "build-cache");

    private final ImageJobs images;
    private final ContainerJobs containers;

    public DiskUsageRoutes(JobBus bus) {
        this.images = ImageJobs.over(bus);
        this.containers = ContainerJobs.over(bus);
    }

    @Override
    public void register(ApiRouter router) {
        router.post("/images/prune", this::prune);
        router.post("/build/prune", this::pruneBuildCache);
        router.get("/system/df", this::diskUsage);
    }

    private void prune(ApiRequest request) {
        request.handled(images.prune(new PruneImages(request.filters()))).onSuccess(pruned -> {
            JsonArray deleted = new JsonArray(JobCodec.encodeToBuffer(ImageJson.removed(new RemovedImages(pruned.items()))));
            request.json(200, new JsonObject().put("ImagesDeleted", deleted.isEmpty() ? null : deleted)
                    .put("SpaceReclaimed", pruned.spaceReclaimed()));
        });
    }

    /**
     * docker builder prune (and the build-cache part of docker system prune). The classic
     * builder's cache is an index of steps to images; pruning forgets the steps, and the space of
     * their images is freed by image prune or rmi, as with dockerd's classic builder. Options that
     * size what to keep mean nothing then, and filters are not implemented: both are refused.
     */
    private void pruneBuildCache(ApiRequest request) {
        for (String sizing : List.of("keep-storage", "reserved-space", "max-used-space", "min-free-space")) {
            String value = request.query(sizing);
            if (value != null && !value.isEmpty() && !value.equals("0")) {
                request.fail(EngineException.invalid("berth does not support " + sizing + " for the build cache yet:"
                        + " its steps are images, freed by docker image prune"));
                return;
            }
        }
        if (!request.filters().isEmpty()) {
            request.fail(EngineException.invalid("invalid filter '" + request.filters().keySet().iterator().next()
                    + "': berth's build cache takes no filters yet"));
            return;
        }
        request.handled(images.pruneBuildCache()).onSuccess(pruned -> request.json(200, new JsonObject()
                .put("CachesDeleted", pruned.cachesDeleted().isEmpty() ? null : new JsonArray(pruned.cachesDeleted()))
                .put("SpaceReclaimed", pruned.spaceReclaimed())));
    }

    /**
     * docker system df. From API 1.42 the type query names what to compute (dockerd refuses an
     * unknown one); without it, or before 1.42, everything is. A list not asked for is left out.
     * The build cache's records are the classic builder's steps; BuilderSize, their total, goes
     * only to clients below 1.42 (with Parent instead of Parents), as dockerd does.
     */
    private void diskUsage(ApiRequest request) {
        Set<String> wanted = new HashSet<>(USAGE_TYPES);
        List<String> types = request.queryAll("type");
        if (request.version().atLeast(1, 42) && !types.isEmpty()) {
            wanted.clear();
            for (String type : types) {
                if (!USAGE_TYPES.contains(type)) {
                    request.fail(EngineException.invalid("unknown object type: " + type));
                    return;
                }
                wanted.add(type);
            }
        }
        Future<ImageList> imageList = wanted.contains("image") ? images.list(new ListImages(true, Map.of())) : Future.succeededFuture();
        Future<ImageUsage> usage = wanted.contains("image") ? images.usage() : Future.succeededFuture();
        Future<ContainerList> containerList = wanted.contains("container")
                ? containers.list(new ListContainers(true, 0, Map.of())) : Future.succeededFuture();
        Future<BuildCacheUsage> buildCache = wanted.contains("build-cache") ? images.buildCacheUsage() : Future.succeededFuture();
        request.handled(Future.all(imageList, usage, containerList, buildCache)).onSuccess(all -> {
            JsonObject answer = new JsonObject();
            if (wanted.contains("image")) {
                JsonArray imageItems = new JsonArray();
                imageList.result().images().forEach(view -> imageItems.add(
                        new JsonObject(JobCodec.encodeToBuffer(ImageJson.summary(view, request.version())))
                                .put("SharedSize", usage.result().sharedSizes().getOrDefault(view.id(), -1L))));
                answer.put("LayersSize", usage.result().layersSize()).put("Images", imageItems);
            }
            if (wanted.contains("container")) {
                JsonArray containerItems = new JsonArray();
                Instant now = Instant.now();
                for (ContainerView view : containerList.result().containers()) {
                    containerItems.add(ContainerJson.summary(view, now));
                }
                answer.put("Containers", containerItems);
            }
            if (wanted.contains("volume")) {
                answer.put("Volumes", new JsonArray());
            }
            if (wanted.contains("build-cache")) {
                answer.put("BuildCache", buildCacheItems(buildCache.result(), request.version()));
                if (request.version().below(1, 42)) {
                    answer.put("BuilderSize", buildCache.result().records().stream().mapToLong(BuildCacheRecord::size).sum());
                }
            }
            request.json(200, answer);
        });
    }

    /** dockerd's BuildCache items; Parent (one id) below API 1.42, Parents from it. */
    private static JsonArray buildCacheItems(BuildCacheUsage usage, ApiVersion version) {
        JsonArray items = new JsonArray();
        for (BuildCacheRecord record : usage.records()) {
            JsonObject item = new JsonObject().put("ID", record.id());
            if (version.below(1, 42)) {
                item.put("Parent", record.parents().isEmpty() ? "" : record.parents().get(0));
            } else {
                item.put("Parents", record.parents().isEmpty() ? null : new JsonArray(record.parents()));
            }
            items.add(item.put("Type", record.type())
                    .put("Description", record.description())
                    .put("InUse", record.inUse())
                    .put("Shared", record.shared())
                    .put("Size", record.size())
                    .put("CreatedAt", Instant.ofEpochMilli(record.createdAt()).toString())
                    .put("LastUsedAt", record.lastUsedAt() == null ? null : Instant.ofEpochMilli(record.lastUsedAt()).toString())
                    .put("UsageCount", record.usageCount()));
        }
        return items;
    }
}
