package dev.berth.exec.container;

import dev.berth.bus.EngineEvent;
import dev.berth.bus.contract.image.CommitImage;
import dev.berth.bus.contract.image.CommittedImage;
import dev.berth.bus.contract.image.ImageView;
import dev.berth.bus.contract.network.ConnectEndpoint;
import dev.berth.bus.contract.network.DisconnectEndpoint;
import dev.berth.bus.contract.network.Endpoint;
import dev.berth.bus.contract.network.NetworkView;
import dev.berth.bus.contract.network.Sandbox;
import dev.berth.bus.contract.network.SandboxRequest;
import java.util.concurrent.CompletableFuture;

/**
 * What the exec worker needs from the other workers of its node. Every call answers with a
 * future and never blocks the calling thread; failures arrive as EngineExceptions with the
 * other worker's error kind. The futures may complete on an event loop: continuations that block
 * (disk, processes) must hop to a blocking executor.
 */
public interface Peers {
    /** graph-worker image.inspect; NOT_FOUND "No such image: ref". */
    CompletableFuture<ImageView> inspectImage(String ref);

    CompletableFuture<Void> prepareSnapshot(String containerId, String imageId);

    /** Completes with the mounted root file system. */
    CompletableFuture<String> mountSnapshot(String containerId);

    CompletableFuture<Void> unmountSnapshot(String containerId);

    CompletableFuture<Void> removeSnapshot(String containerId);

    /** graph-worker image.commit of the container's snapshot, on this node. */
    CompletableFuture<CommittedImage> commitImage(CommitImage args);

    /** network-worker: the namespace to join (null for the host's) and the endpoints made in it. */
    CompletableFuture<Sandbox> createSandbox(SandboxRequest request);

    CompletableFuture<Void> removeSandbox(String containerId);

    /** network-worker network.inspect: completes when the network exists; NOT_FOUND otherwise. */
    CompletableFuture<Void> checkNetwork(String network);

    /** network-worker network.inspect; NOT_FOUND "network x not found". */
    CompletableFuture<NetworkView> inspectNetwork(String network);

    /** network-worker: one more endpoint in a running container's sandbox. */
    CompletableFuture<Endpoint> connectEndpoint(ConnectEndpoint request);

    CompletableFuture<Void> disconnectEndpoint(DisconnectEndpoint request);

    /**
     * log-worker logs.retire: the container's log files are about to be deleted, so what they
     * hold is counted in the bytes written to logs first. Completes once counted.
     */
    CompletableFuture<Void> retireLog(String containerId, java.nio.file.Path logPath);

    void publish(EngineEvent event);
}
