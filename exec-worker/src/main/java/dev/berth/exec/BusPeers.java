package dev.berth.exec;

import dev.berth.bus.EngineEvent;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.Job;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobTypes;
import dev.berth.exec.container.Peers;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link Peers} over the job bus: jobs to this node's graph and network workers. */
final class BusPeers implements Peers {
    private static final long TIMEOUT_SECONDS = 300;

    private final JobBus bus;

    BusPeers(JobBus bus) {
        this.bus = bus;
    }

    private JsonObject call(String type, JsonObject args) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException(type + " would block an event loop");
        }
        try {
            return bus.request(Job.of(type, args)).toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw EngineException.from(e.getCause());
        } catch (TimeoutException e) {
            throw new EngineException(ErrorKind.UNAVAILABLE, type + " did not answer within " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(ErrorKind.UNAVAILABLE, "interrupted while waiting for " + type);
        }
    }

    @Override
    public JsonObject inspectImage(String ref) {
        return call(JobTypes.IMAGE_INSPECT, new JsonObject().put("ref", ref));
    }

    @Override
    public void prepareSnapshot(String containerId, String imageId) {
        call(JobTypes.SNAPSHOT_PREPARE, new JsonObject().put("id", containerId).put("image", imageId));
    }

    @Override
    public String mountSnapshot(String containerId) {
        return call(JobTypes.SNAPSHOT_MOUNT, new JsonObject().put("id", containerId)).getString("rootfs");
    }

    @Override
    public void unmountSnapshot(String containerId) {
        call(JobTypes.SNAPSHOT_UNMOUNT, new JsonObject().put("id", containerId));
    }

    @Override
    public void removeSnapshot(String containerId) {
        call(JobTypes.SNAPSHOT_REMOVE, new JsonObject().put("id", containerId));
    }

    @Override
    public Optional<String> createSandbox(String containerId, String networkMode) {
        JsonObject reply = call(JobTypes.SANDBOX_CREATE, new JsonObject().put("containerId", containerId).put("mode", networkMode));
        return Optional.ofNullable(reply.getString("netnsPath"));
    }

    @Override
    public void removeSandbox(String containerId) {
        call(JobTypes.SANDBOX_REMOVE, new JsonObject().put("containerId", containerId));
    }

    @Override
    public void publish(EngineEvent event) {
        bus.publish(event);
    }
}
