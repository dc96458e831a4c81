package dev.berth.bus.contract.container;

/**
 * container.create: Docker's create request, parsed once by the gateway. name is the query's
 * {@code name} (null: the worker picks one).
 */
public record CreateContainer(String name, ContainerConfig config, HostConfig hostConfig, NetworkingConfig networkingConfig) {
    public CreateContainer {
        config = config == null ? ContainerConfig.empty() : config;
        hostConfig = hostConfig == null ? HostConfig.empty() : hostConfig;
        networkingConfig = networkingConfig == null ? new NetworkingConfig(null) : networkingConfig;
    }
}
