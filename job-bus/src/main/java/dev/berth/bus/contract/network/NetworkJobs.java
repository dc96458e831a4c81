package dev.berth.bus.contract.network;

import dev.berth.bus.JobBus;
import io.vertx.core.Future;

/** What route groups and other workers ask of the network worker, one method per job. */
public interface NetworkJobs {
    Future<NetworkList> list(ListNetworks args);

    Future<NetworkView> inspect(InspectNetwork args);

    Future<NetworkCreated> create(CreateNetwork args);

    Future<Void> remove(RemoveNetwork args);

    Future<PrunedNetworks> prune(PruneNetworks args);

    Future<Sandbox> createSandbox(SandboxRequest args);

    Future<Void> removeSandbox(RemoveSandbox args);

    Future<Endpoint> connectEndpoint(ConnectEndpoint args);

    Future<Void> disconnectEndpoint(DisconnectEndpoint args);

    /** The jobs sent on {@code bus}. */
    static NetworkJobs over(JobBus bus) {
        return new NetworkJobs() {
            @Override
            public Future<NetworkList> list(ListNetworks args) {
                return bus.call(NetworkJobTypes.LIST, args);
            }

            @Override
            public Future<NetworkView> inspect(InspectNetwork args) {
                return bus.call(NetworkJobTypes.INSPECT, args);
            }

            @Override
            public Future<NetworkCreated> create(CreateNetwork args) {
                return bus.call(NetworkJobTypes.CREATE, args);
            }

            @Override
            public Future<Void> remove(RemoveNetwork args) {
                return bus.call(NetworkJobTypes.REMOVE, args);
            }

            @Override
            public Future<PrunedNetworks> prune(PruneNetworks args) {
                return bus.call(NetworkJobTypes.PRUNE, args);
            }

            @Override
            public Future<Sandbox> createSandbox(SandboxRequest args) {
                return bus.call(NetworkJobTypes.SANDBOX_CREATE, args);
            }

            @Override
            public Future<Void> removeSandbox(RemoveSandbox args) {
                return bus.call(NetworkJobTypes.SANDBOX_REMOVE, args);
            }

            @Override
            public Future<Endpoint> connectEndpoint(ConnectEndpoint args) {
                return bus.call(NetworkJobTypes.ENDPOINT_CONNECT, args);
            }

            @Override
            public Future<Void> disconnectEndpoint(DisconnectEndpoint args) {
                return bus.call(NetworkJobTypes.ENDPOINT_DISCONNECT, args);
            }
        };
    }
}
