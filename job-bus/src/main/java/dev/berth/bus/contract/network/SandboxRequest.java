package dev.berth.bus.contract.network;

import dev.berth.bus.contract.container.HostConfig;
import java.util.List;
import java.util.Map;

/**
 * Arguments of {@code network.sandbox.create}: the container (full 64-hex id) and its name (for
 * docker network inspect), its
 * {@code HostConfig.NetworkMode} as Docker writes it ({@code default}, {@code bridge},
 * {@code host}, {@code none}; null means the default bridge), and the ports to publish as Docker
 * sends them: {@code HostConfig.PortBindings} keyed by {@code "80/tcp"}, and with
 * {@code PublishAllPorts} every exposed port on a host port of the engine's choice; and what the
 * endpoint config asks of the network (--network-alias, --ip, --mac-address; null when not set).
 */
public record SandboxRequest(String containerId, String containerName, String mode, Map<String, List<HostConfig.PortBinding>> portBindings,
        boolean publishAllPorts, List<String> exposedPorts, List<String> aliases, String ipv4Address, String macAddress) {
    public SandboxRequest {
        java.util.Map<String, List<HostConfig.PortBinding>> bindings = new java.util.TreeMap<>();
        if (portBindings != null) {
            // Docker clients send "80/tcp": null for a port exposed but not bound.
            portBindings.forEach((port, list) -> bindings.put(port, list == null ? List.of()
                    : list.stream().filter(java.util.Objects::nonNull).toList()));
        }
        portBindings = java.util.Collections.unmodifiableMap(bindings);
        exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    /** A sandbox that publishes nothing. */
    public SandboxRequest(String containerId, String mode) {
        this(containerId, "", mode, Map.of(), false, List.of(), List.of(), null, null);
    }
}
