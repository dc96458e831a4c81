package dev.berth.bus.contract.container;

/** container.network.disconnect (docker network disconnect [-f]). */
public record DisconnectContainer(String containerRef, String network, boolean force) {
}
