package dev.berth.bus.contract.network;

import java.util.List;
import java.util.Map;

/**
 * Arguments of {@code network.list}: Docker's filters as {key: [values]}, already decoded from
 * either of the encodings clients send. Null or empty lists every network. The network worker
 * refuses a key it does not know, so that no filter is ever ignored.
 */
public record ListNetworks(Map<String, List<String>> filters) {
    public static ListNetworks all() {
        return new ListNetworks(Map.of());
    }
}
