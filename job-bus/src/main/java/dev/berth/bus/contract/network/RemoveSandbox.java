package dev.berth.bus.contract.network;

/** Arguments of {@code network.sandbox.remove}; removing an absent sandbox is not an error. */
public record RemoveSandbox(String containerId) {
}
