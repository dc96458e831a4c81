package dev.berth.net.network;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.network.NetworkList;
import dev.berth.bus.contract.network.NetworkView;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Lists and finds the node's networks: the predefined ones and the user-defined ones. */
public final class NetworkService {
    private final Supplier<List<NetworkView>> networks;

    public NetworkService(PredefinedNetworks predefined) {
        this(predefined::all);
    }

    public NetworkService(Supplier<List<NetworkView>> networks) {
        this.networks = networks;
    }

    /** The networks that pass Docker's filters; INVALID_ARGUMENT for a filter dockerd would refuse. */
    public NetworkList list(Map<String, List<String>> filters) {
        NetworkFilter filter = NetworkFilter.of(filters);
        return new NetworkList(networks.get().stream()
                .filter(network -> filter.matches(network, PredefinedNetworks.isPredefined(network.name()),
                        !network.containers().isEmpty()))
                .toList());
    }

    /**
     * By full id, name or unique id prefix, in that order, as dockerd finds it; with a scope, only
     * among the networks of that scope.
     */
    public NetworkView inspect(String ref, String scope) {
        if (ref == null || ref.isEmpty()) {
            throw EngineException.invalid("a network name or id is required");
        }
        List<NetworkView> all = networks.get().stream()
                .filter(network -> scope == null || scope.isEmpty() || scope.equals(network.scope()))
                .toList();
        for (NetworkView network : all) {
            if (network.id().equals(ref)) {
                return network;
            }
        }
        for (NetworkView network : all) {
            if (network.name().equals(ref)) {
                return network;
            }
        }
        List<NetworkView> byPrefix = all.stream().filter(network -> network.id().startsWith(ref)).toList();
        if (byPrefix.size() > 1) {
            throw EngineException.invalid("network " + ref + " is ambiguous (" + byPrefix.size() + " matches found based on ID prefix)");
        }
        if (byPrefix.isEmpty()) {
            throw EngineException.notFound("network " + ref + " not found");
        }
        return byPrefix.get(0);
    }
}
