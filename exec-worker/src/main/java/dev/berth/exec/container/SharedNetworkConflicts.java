package dev.berth.exec.container;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.container.ContainerConfig;
import dev.berth.bus.contract.container.HostConfig;
import dev.berth.bus.contract.container.NetworkingConfig;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * A container that joins another's network namespace ({@code --network container:<id>}) takes
 * that container's hostname, /etc/hosts, /etc/resolv.conf and ports; the options that would set
 * them are refused at create with dockerd's messages, rather than silently lost.
 */
final class SharedNetworkConflicts {
    private SharedNetworkConflicts() {
    }

    static boolean joinsAnother(String networkMode) {
        return networkMode != null && networkMode.startsWith("container:");
    }

    static void check(ContainerConfig config, HostConfig host, NetworkingConfig networking) {
        if (!joinsAnother(host.networkMode())) {
            return;
        }
        if (config.hostname() != null && !config.hostname().isEmpty()) {
            throw EngineException.invalid("conflicting options: hostname and the network mode");
        }
        if (nonEmpty(host.links())) {
            throw EngineException.invalid("conflicting options: container type network can't be used with links. "
                    + "This would result in undefined behavior");
        }
        if (nonEmpty(host.dnsServers())) {
            throw EngineException.invalid("conflicting options: dns and the network mode");
        }
        if (nonEmpty(host.extraHosts())) {
            throw EngineException.invalid("conflicting options: custom host-to-IP mapping and the network mode");
        }
        boolean mac = config.macAddress() != null && !config.macAddress().isEmpty()
                || networking != null && networking.endpoints().values().stream().filter(Objects::nonNull)
                        .anyMatch(e -> e.macAddress() != null && !e.macAddress().isEmpty());
        if (mac) {
            throw EngineException.invalid("conflicting options: mac-address and the network mode");
        }
        if (nonEmpty(host.portBindings()) || Boolean.TRUE.equals(host.publishAllPorts())) {
            throw EngineException.invalid("conflicting options: port publishing and the container type network mode");
        }
        if (nonEmpty(config.exposedPorts())) {
            throw EngineException.invalid("conflicting options: port exposing and the container type network mode");
        }
    }

    private static boolean nonEmpty(Collection<?> values) {
        return values != null && !values.isEmpty();
    }

    private static boolean nonEmpty(Map<?, ?> values) {
        return values != null && !values.isEmpty();
    }
}
