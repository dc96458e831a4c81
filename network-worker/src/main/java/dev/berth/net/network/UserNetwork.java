package dev.berth.net.network;

import java.util.Map;

/**
 * A user-defined bridge network as kept on disk: what it was created with, and the bridge
 * device and addresses chosen for it.
 *
 * @param ipRange the part of the subnet containers get addresses from; null for all of it
 * @param subnetChosen true when Berth chose the subnet (no --subnet), which rules out --ip as
 *     in dockerd; null in records written before it was kept
 */
public record UserNetwork(String id, String name, String created, boolean internal, String bridgeName, String subnet,
        String gateway, String ipRange, Map<String, String> options, Map<String, String> labels, Boolean subnetChosen) {
    public UserNetwork {
        options = options == null ? Map.of() : Map.copyOf(options);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
