package dev.berth.bus.contract.network;

import java.util.List;

/** Reply of {@code network.prune}: the names of the networks removed. */
public record PrunedNetworks(List<String> deleted) {
    public PrunedNetworks {
        deleted = deleted == null ? List.of() : List.copyOf(deleted);
    }
}
