package dev.berth.bus.contract.network;

/** Arguments of {@code network.inspect}: a name, a full id or a unique id prefix. */
public record InspectNetwork(String ref) {
}
