package dev.berth.exec;

import dev.berth.bus.EngineEvent;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobBus;
import dev.berth.bus.contract.image.CommitImage;
import dev.berth.bus.contract.image.CommittedImage;
import dev.berth.bus.contract.image.ImageJobs;
import dev.berth.bus.contract.image.ImageView;
import dev.berth.bus.contract.logs.LogJobTypes;
import dev.berth.bus.contract.logs.RetireLog;
import dev.berth.bus.contract.network.NetworkJobs;
import dev.berth.bus.contract.network.ConnectEndpoint;
import dev.berth.bus.contract.network.DisconnectEndpoint;
import dev.berth.bus.contract.network.Endpoint;
import dev.berth.bus.contract.network.InspectNetwork;
import dev.berth.bus.contract.network.NetworkView;
import dev.berth.bus.contract.network.RemoveSandbox;
import dev.berth.bus.contract.network.Sandbox;
import dev.berth.bus.contract.network.SandboxRequest;
import dev.berth.exec.container.Peers;
import io.vertx.core.Future;
import java.util.concurrent.CompletableFuture;

/** {@link Peers} through the typed clients of this node's graph, network and log workers, as futures. */
final class BusPeers implements Peers {
    private final JobBus bus;
    private final ImageJobs images;
    private final NetworkJobs networks;

    BusPeers(JobBus bus) {
        this.bus = bus;
        this.images = ImageJobs.over(bus);
        this.networks = NetworkJobs.over(bus);
    }

    /** Vert.x's future as the JDK's, failing with the other worker's EngineException. */
    private static <T> CompletableFuture<T> adapt(Future<T> reply) {
        CompletableFuture<T> result = new CompletableFuture<>();
        reply.onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(ar.result());
            } else {
                result.completeExceptionally(EngineException.from(ar.cause()));
            }
        });
        return result;
    }

    @Override
    public CompletableFuture<ImageView> inspectImage(String ref) {
        return adapt(images.inspect(ref));
    }

    @Override
    public CompletableFuture<Void> prepareSnapshot(String containerId, String imageId) {
        return adapt(images.prepareSnapshot(containerId, imageId)).thenApply(prepared -> null);
    }

    @Override
    public CompletableFuture<String> mountSnapshot(String containerId) {
        return adapt(images.mountSnapshot(containerId)).thenApply(mounted -> mounted.rootfs());
    }

    @Override
    public CompletableFuture<Void> unmountSnapshot(String containerId) {
        return adapt(images.unmountSnapshot(containerId));
    }

    @Override
    public CompletableFuture<Void> removeSnapshot(String containerId) {
        return adapt(images.removeSnapshot(containerId));
    }

    @Override
    public CompletableFuture<CommittedImage> commitImage(CommitImage args) {
        return adapt(images.commit(args));
    }

    @Override
    public CompletableFuture<Sandbox> createSandbox(SandboxRequest request) {
        return adapt(networks.createSandbox(request));
    }

    @Override
    public CompletableFuture<Void> removeSandbox(String containerId) {
        return adapt(networks.removeSandbox(new RemoveSandbox(containerId)));
    }

    @Override
    public CompletableFuture<Void> checkNetwork(String network) {
        return adapt(networks.inspect(new InspectNetwork(network, null))).thenApply(view -> null);
    }

    @Override
    public CompletableFuture<NetworkView> inspectNetwork(String network) {
        return adapt(networks.inspect(new InspectNetwork(network, null)));
    }

    @Override
    public CompletableFuture<Endpoint> connectEndpoint(ConnectEndpoint request) {
        return adapt(networks.connectEndpoint(request));
    }

    @Override
    public CompletableFuture<Void> disconnectEndpoint(DisconnectEndpoint request) {
        return adapt(networks.disconnectEndpoint(request));
    }

    @Override
    public CompletableFuture<Void> retireLog(String containerId, java.nio.file.Path logPath) {
        return adapt(bus.call(LogJobTypes.RETIRE, new RetireLog(containerId, logPath.toString())));
    }

    @Override
    public void publish(EngineEvent event) {
        bus.publish(event);
    }
}
