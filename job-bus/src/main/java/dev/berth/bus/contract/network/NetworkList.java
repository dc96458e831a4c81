package dev.berth.bus.contract.network;

import java.util.List;

/** Reply of {@code network.list}: the networks that pass the filters. */
public record NetworkList(List<NetworkView> networks) {
    public NetworkList {
        networks = networks == null ? List.of() : List.copyOf(networks);
    }
}
