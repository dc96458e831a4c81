package dev.berth.bus.contract.network;

/** Arguments of {@code network.endpoint.disconnect}: the container's endpoint on {@code networkId} goes. */
public record DisconnectEndpoint(String containerId, String networkId) {
}
