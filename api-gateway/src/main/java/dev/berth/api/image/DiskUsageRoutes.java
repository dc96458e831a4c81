package dev.berth.api.image;

import dev.berth.api.model.ContainerJson;
import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
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
        router.get("/system/df", this::diskUsage);
    }

    private void prune(ApiRequest request) {
        request.handled(images.prune(new PruneImages(request.filters()))).onSuccess(pruned -> {
            JsonArray deleted = new JsonArray(JobCodec.encodeToBuffer(ImageJson.removed(new RemovedImages(pruned.items()))));
            request.json(200, new JsonObject().put("ImagesDeleted", deleted.isEmpty() ? null : deleted)
                    .put("SpaceReclaimed", pruned.spaceReclaimed()));
        });
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
