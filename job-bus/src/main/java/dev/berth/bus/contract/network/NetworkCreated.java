package dev.berth.bus.contract.network;

/** Reply of {@code network.create}: the new network's id. */
public record NetworkCreated(String id) {
}
