package dev.berth.api.image;

import dev.berth.api.model.ContainerJson;
import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.container.ContainerJobs;
import dev.berth.bus.contract.container.ContainerView;
import dev.berth.bus.contract.container.ListContainers;
import dev.berth.bus.contract.image.ImageJobs;
import dev.berth.bus.contract.image.ListImages;
import dev.berth.bus.contract.image.PruneImages;
import dev.berth.bus.contract.image.RemovedImages;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * docker image prune (POST /images/prune) and docker system df (GET /system/df). The df answer
 * has the images with their real container counts and shared bytes, the containers, and the
 * layers' bytes counted once; Berth has no volumes or build cache yet, so those lists are empty.
 */
public final class DiskUsageRoutes implements RouteGroup {
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

    private void diskUsage(ApiRequest request) {
        var imageList = images.list(new ListImages(true, Map.of()));
        var usage = images.usage();
        var containerList = containers.list(new ListContainers(true, 0, Map.of()));
        request.handled(Future.all(imageList, usage, containerList)).onSuccess(all -> {
            JsonArray imageItems = new JsonArray();
            imageList.result().images().forEach(view -> imageItems.add(
                    new JsonObject(JobCodec.encodeToBuffer(ImageJson.summary(view, request.version())))
                            .put("SharedSize", usage.result().sharedSizes().getOrDefault(view.id(), -1L))));
            JsonArray containerItems = new JsonArray();
            Instant now = Instant.now();
            for (ContainerView view : containerList.result().containers()) {
                containerItems.add(ContainerJson.summary(view, now));
            }
            request.json(200, new JsonObject()
                    .put("LayersSize", usage.result().layersSize())
                    .put("Images", imageItems)
                    .put("Containers", containerItems)
                    .put("Volumes", new JsonArray())
                    .put("BuildCache", new JsonArray()));
        });
    }
}
