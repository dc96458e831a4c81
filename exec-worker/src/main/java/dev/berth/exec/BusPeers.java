package dev.berth.exec;

import dev.berth.bus.EngineEvent;
import dev.berth.bus.EngineException;
import dev.berth.bus.Job;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobTypes;
import dev.berth.exec.container.Peers;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@link Peers} over the job bus: jobs to this node's graph and network workers, as futures. */
final class BusPeers implements Peers {
    private final JobBus bus;

    BusPeers(JobBus bus) {
        this.bus = bus;
    }

    private CompletableFuture<JsonObject> call(String type, JsonObject args) {
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        bus.request(Job.of(type, args)).onComplete(ar -> {
            if (ar.succeeded()) {
                reply.complete(ar.result());
            } else {
                reply.completeExceptionally(EngineException.from(ar.cause()));
            }
        });
        return reply;
    }

    @Override
    public CompletableFuture<JsonObject> inspectImage(String ref) {
        return call(JobTypes.IMAGE_INSPECT, new JsonObject().put("ref", ref));
    }

    @Override
    public CompletableFuture<Void> prepareSnapshot(String containerId, String imageId) {
        return call(JobTypes.SNAPSHOT_PREPARE, new JsonObject().put("id", containerId).put("image", imageId)).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<String> mountSnapshot(String containerId) {
        return call(JobTypes.SNAPSHOT_MOUNT, new JsonObject().put("id", containerId)).thenApply(r -> r.getString("rootfs"));
    }

    @Override
    public CompletableFuture<Void> unmountSnapshot(String containerId) {
        return call(JobTypes.SNAPSHOT_UNMOUNT, new JsonObject().put("id", containerId)).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<Void> removeSnapshot(String containerId) {
        return call(JobTypes.SNAPSHOT_REMOVE, new JsonObject().put("id", containerId)).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<Optional<String>> createSandbox(String containerId, String networkMode) {
        return call(JobTypes.SANDBOX_CREATE, new JsonObject().put("containerId", containerId).put("mode", networkMode))
                .thenApply(reply -> Optional.ofNullable(reply.getString("netnsPath")));
    }

    @Override
    public CompletableFuture<Void> removeSandbox(String containerId) {
        return call(JobTypes.SANDBOX_REMOVE, new JsonObject().put("containerId", containerId)).thenApply(r -> null);
    }

    @Override
    public void publish(EngineEvent event) {
        bus.publish(event);
    }
}
