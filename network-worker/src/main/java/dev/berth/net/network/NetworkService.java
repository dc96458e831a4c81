package dev.berth.net.network;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.network.NetworkList;
import dev.berth.bus.contract.network.NetworkView;
import java.util.List;
import java.util.Map;

/** Lists and finds the node's networks. Only the predefined ones exist until user-defined networks land. */
public final class NetworkService {
    private final PredefinedNetworks predefined;

    public NetworkService(PredefinedNetworks predefined) {
        this.predefined = predefined;
    }

    /** The networks that pass Docker's filters; INVALID_ARGUMENT for a filter dockerd would refuse. */
    public NetworkList list(Map<String, List<String>> filters) {
        NetworkFilter filter = NetworkFilter.of(filters);
        // Every network is predefined, so whether containers are attached never decides (a
        // predefined network is never dangling); user-defined networks will bring the count.
        return new NetworkList(predefined.all().stream()
                .filter(network -> filter.matches(network, PredefinedNetworks.isPredefined(network.name()), false))
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
        List<NetworkView> all = predefined.all().stream()
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
