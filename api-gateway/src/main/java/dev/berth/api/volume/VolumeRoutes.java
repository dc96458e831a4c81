package dev.berth.api.volume;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.berth.api.model.VolumeJson;
import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.volume.CreateVolume;
import dev.berth.bus.contract.volume.ListVolumes;
import dev.berth.bus.contract.volume.PruneVolumes;
import dev.berth.bus.contract.volume.RemoveVolume;
import dev.berth.bus.contract.volume.VolumeJobs;
import dev.berth.bus.contract.volume.VolumeRef;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** docker volume create, ls, inspect, rm and prune. */
public final class VolumeRoutes implements RouteGroup {
    /** Docker's VolumeCreateBody, with its field names. */
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    record CreateBody(String name, String driver, Map<String, String> driverOpts, Map<String, String> labels,
            Map<String, Object> clusterVolumeSpec) {
    }

    private final VolumeJobs volumes;

    public VolumeRoutes(JobBus bus) {
        this(VolumeJobs.over(bus));
    }

    VolumeRoutes(VolumeJobs volumes) {
        this.volumes = volumes;
    }

    @Override
    public void register(ApiRouter router) {
        router.post("/volumes/create", this::create);
        router.get("/volumes", this::list);
        router.post("/volumes/prune", this::prune);
        router.get("/volumes/{name}", this::inspect);
        router.put("/volumes/{name}", VolumeRoutes::update);
        router.delete("/volumes/{name}", this::remove);
    }

    private void create(ApiRequest r) {
        r.handled(r.jsonBody().map(body -> JobCodec.decode(body, CreateBody.class)).compose(body -> {
            if (body.clusterVolumeSpec() != null) {
                throw new EngineException(ErrorKind.UNAVAILABLE, "This node is not a swarm manager. Cluster volumes need "
                        + "swarm mode, which berth does not have.");
            }
            return volumes.create(new CreateVolume(body.name(), body.driver(), body.driverOpts(), body.labels()));
        })).onSuccess(view -> r.json(201, VolumeJson.of(view)));
    }

    private void list(ApiRequest r) {
        r.handled(volumes.list(new ListVolumes(r.filters()))).onSuccess(list -> {
            JsonArray items = new JsonArray();
            list.volumes().forEach(v -> items.add(VolumeJson.of(v)));
            r.json(200, new JsonObject().put("Volumes", items).put("Warnings", (Object) null));
        });
    }

    private void inspect(ApiRequest r) {
        r.handled(volumes.inspect(new VolumeRef(r.path("name")))).onSuccess(view -> r.json(200, VolumeJson.of(view)));
    }

    private void remove(ApiRequest r) {
        r.handled(volumes.remove(new RemoveVolume(r.path("name"), r.bool("force", false)))).onSuccess(v -> r.noContent());
    }

    private void prune(ApiRequest r) {
        r.handled(volumes.prune(new PruneVolumes(r.filters()))).onSuccess(pruned -> r.json(200, new JsonObject()
                .put("VolumesDeleted", pruned.volumesDeleted() == null ? null : new JsonArray(pruned.volumesDeleted()))
                .put("SpaceReclaimed", pruned.spaceReclaimed())));
    }

    /** Only cluster volumes can be updated, and Berth has no swarm mode. */
    private static void update(ApiRequest r) {
        r.fail(new EngineException(ErrorKind.UNAVAILABLE, "This node is not a swarm manager. Use \"docker swarm init\" or "
                + "\"docker swarm join\" to connect this node to swarm and try again."));
    }
}
