package dev.berth.bus.contract.network;

import java.util.List;

/**
 * Reply of {@code network.sandbox.create}: the network namespace the container's runtime must
 * join, a path on the node that made it (null when the container shares the host's namespace),
 * and the networks it was attached to (empty for {@code none} and {@code host}).
 */
public record Sandbox(String netnsPath, List<Endpoint> endpoints) {
    public Sandbox {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }
}
