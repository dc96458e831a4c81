package dev.berth.api.network;

import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.FiltersParam;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.container.ContainerJobs;
import dev.berth.bus.contract.network.InspectNetwork;
import dev.berth.bus.contract.network.ListNetworks;
import dev.berth.bus.contract.network.NetworkJobs;
import dev.berth.bus.contract.network.PruneNetworks;
import dev.berth.bus.contract.network.RemoveNetwork;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** Network routes: list, inspect, create, remove, prune, and connecting containers. */
public final class NetworkRoutes implements RouteGroup {
    /** Go's strconv.ParseBool, which dockerd reads {@code verbose} with. */
    private static final Set<String> GO_TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
    private static final Set<String> GO_FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

    private final NetworkJobs networks;
    private final ContainerJobs containers;

    public NetworkRoutes(JobBus bus) {
        this(NetworkJobs.over(bus), ContainerJobs.over(bus));
    }

    NetworkRoutes(NetworkJobs networks, ContainerJobs containers) {
        this.networks = networks;
        this.containers = containers;
    }

    @Override
    public void register(ApiRouter router) {
        router.get("/networks", this::list);
        router.get("/networks/{id}", this::inspect);
        router.delete("/networks/{id}", this::remove);
        router.post("/networks/create", this::create);
        router.post("/networks/prune", this::prune);
        router.post("/networks/{id}/connect", this::connect);
        router.post("/networks/{id}/disconnect", this::disconnect);
    }

    /**
     * The container's worker owns its list of networks (and asks the network worker for the
     * endpoint when it runs): 404 for an unknown container or network, 403 when already there.
     */
    private void connect(ApiRequest r) {
        r.handled(r.jsonBody().map(body -> NetworkConnectBody.connect(r.path("id"), body)).compose(containers::connectNetwork))
                .onSuccess(v -> r.ok());
    }

    private void disconnect(ApiRequest r) {
        r.handled(r.jsonBody().map(body -> NetworkConnectBody.disconnect(r.path("id"), body)).compose(containers::disconnectNetwork))
                .onSuccess(v -> r.ok());
    }

    /** 403 for a predefined network, 409 while containers are attached, 404 for an unknown one. */
    private void remove(ApiRequest r) {
        r.handled(networks.remove(new RemoveNetwork(r.path("id")))).onSuccess(v -> r.noContent());
    }

    private void create(ApiRequest r) {
        r.handled(r.jsonBody().map(NetworkCreateBody::parse).compose(networks::create))
                .onSuccess(created -> r.json(201, new JsonObject().put("Id", created.id()).put("Warning", "")));
    }

    private void prune(ApiRequest r) {
        PruneNetworks args = new PruneNetworks(FiltersParam.parse(r.query("filters")));
        r.handled(networks.prune(args)).onSuccess(pruned -> r.json(200,
                new JsonObject().put("NetworksDeleted", new JsonArray(pruned.deleted()))));
    }

    private void list(ApiRequest r) {
        ListNetworks args = new ListNetworks(FiltersParam.parse(r.query("filters")));
        r.handled(networks.list(args)).onSuccess(list -> r.json(200,
                new JsonArray(JobCodec.encodeToBuffer(list.networks().stream().map(NetworkResources::from).toList()))));
    }

    private void inspect(ApiRequest r) {
        checkVerbose(r.query("verbose"));
        r.handled(networks.inspect(new InspectNetwork(r.path("id"), r.query("scope"))))
                .onSuccess(view -> r.json(200, new JsonObject(JobCodec.encodeToBuffer(NetworkResources.from(view)))));
    }

    /**
     * {@code verbose} adds the services of swarm networks, and Berth has none: either value
     * answers the same, but a value dockerd cannot read is refused as dockerd refuses it.
     */
    private static void checkVerbose(String value) {
        if (value != null && !value.isEmpty() && !GO_TRUE.contains(value) && !GO_FALSE.contains(value)) {
            throw EngineException.invalid("invalid value for verbose: " + value);
        }
    }
}
