package dev.berth.bus.contract.container;

import java.util.List;

/**
 * container.network.connect (docker network connect): the container joins {@code network} now
 * if it runs, at its next start otherwise.
 *
 * @param aliases --alias
 * @param ipv4Address --ip; null when the network chooses
 */
public record ConnectContainer(String containerRef, String network, List<String> aliases, String ipv4Address) {
    public ConnectContainer {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        ipv4Address = ipv4Address == null || ipv4Address.isEmpty() ? null : ipv4Address;
    }
}
