package dev.berth.exec.container;

import dev.berth.bus.EngineEvent;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * What the exec worker needs from the other workers of its node. Calls block the calling thread
 * until the other worker answers, so they are made only from the exec worker's blocking threads;
 * failures arrive as EngineExceptions with the other worker's error kind.
 */
public interface Peers {
    /** graph-worker image.inspect; NOT_FOUND "No such image: ref". */
    JsonObject inspectImage(String ref);

    void prepareSnapshot(String containerId, String imageId);

    /** Returns the mounted root file system. */
    String mountSnapshot(String containerId);

    void unmountSnapshot(String containerId);

    void removeSnapshot(String containerId);

    /** network-worker: the namespace to join, or empty for the host's. */
    Optional<String> createSandbox(String containerId, String networkMode);

    void removeSandbox(String containerId);

    void publish(EngineEvent event);
}
