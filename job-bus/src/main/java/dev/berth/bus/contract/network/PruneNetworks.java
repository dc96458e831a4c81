package dev.berth.bus.contract.network;

import java.util.List;
import java.util.Map;

/** Arguments of {@code network.prune}: dockerd's prune filters ({@code label}, {@code label!}, {@code until}). */
public record PruneNetworks(Map<String, List<String>> filters) {
    public PruneNetworks {
        filters = filters == null ? Map.of() : Map.copyOf(filters);
    }
}
