package dev.berth.bus.contract.network;

import dev.berth.bus.JobType;
import dev.berth.bus.WorkerKind;

/** The network worker's jobs. Sandboxes name a namespace pinned on one host: they are node-local. */
public final class NetworkJobTypes {
    public static final JobType<ListNetworks, NetworkList> LIST =
            JobType.request("network.list", WorkerKind.NETWORK, ListNetworks.class, NetworkList.class);
    /** NOT_FOUND "network x not found"; INVALID_ARGUMENT when a prefix matches more than one. */
    public static final JobType<InspectNetwork, NetworkView> INSPECT =
            JobType.request("network.inspect", WorkerKind.NETWORK, InspectNetwork.class, NetworkView.class);
    /** CONFLICT for a name in use, FORBIDDEN for a subnet that overlaps another network's. */
    public static final JobType<CreateNetwork, NetworkCreated> CREATE =
            JobType.request("network.create", WorkerKind.NETWORK, CreateNetwork.class, NetworkCreated.class).nodeLocal();
    /** CONFLICT while containers are attached; FORBIDDEN for a predefined network. */
    public static final JobType<RemoveNetwork, Void> REMOVE =
            JobType.request("network.remove", WorkerKind.NETWORK, RemoveNetwork.class, Void.class).nodeLocal();
    public static final JobType<PruneNetworks, PrunedNetworks> PRUNE =
            JobType.request("network.prune", WorkerKind.NETWORK, PruneNetworks.class, PrunedNetworks.class).nodeLocal();
    /** Idempotent: a second create for the same container replaces its namespace. */
    public static final JobType<SandboxRequest, Sandbox> SANDBOX_CREATE =
            JobType.request("network.sandbox.create", WorkerKind.NETWORK, SandboxRequest.class, Sandbox.class).nodeLocal();
    public static final JobType<RemoveSandbox, Void> SANDBOX_REMOVE =
            JobType.request("network.sandbox.remove", WorkerKind.NETWORK, RemoveSandbox.class, Void.class).nodeLocal();
    /**
     * One more endpoint in a sandbox: NOT_FOUND for an unknown network, FORBIDDEN when the
     * container already has one there, INVALID_ARGUMENT for an --ip the network cannot give.
     */
    public static final JobType<ConnectEndpoint, Endpoint> ENDPOINT_CONNECT =
            JobType.request("network.endpoint.connect", WorkerKind.NETWORK, ConnectEndpoint.class, Endpoint.class).nodeLocal();
    /** Releases one endpoint of a container; none there is not an error (the caller's record decides). */
    public static final JobType<DisconnectEndpoint, Void> ENDPOINT_DISCONNECT =
            JobType.request("network.endpoint.disconnect", WorkerKind.NETWORK, DisconnectEndpoint.class, Void.class).nodeLocal();

    private NetworkJobTypes() {
    }
}
