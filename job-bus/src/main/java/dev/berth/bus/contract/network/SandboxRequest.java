package dev.berth.bus.contract.network;

/**
 * Arguments of {@code network.sandbox.create}: the container (full 64-hex id) and its
 * {@code HostConfig.NetworkMode} as Docker writes it ({@code default}, {@code bridge},
 * {@code host}, {@code none}; null means the default bridge).
 */
public record SandboxRequest(String containerId, String mode) {
}
