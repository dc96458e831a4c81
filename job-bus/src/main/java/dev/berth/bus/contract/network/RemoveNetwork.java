package dev.berth.bus.contract.network;

/** Arguments of {@code network.remove}: a network by id, name or id prefix. */
public record RemoveNetwork(String ref) {
}
