package dev.berth.bus.contract.network;

/**
 * Reply of {@code network.sandbox.create}: the network namespace the container's runtime must
 * join, a path on the node that made it; null when the container shares the host's namespace.
 */
public record Sandbox(String netnsPath) {
}
