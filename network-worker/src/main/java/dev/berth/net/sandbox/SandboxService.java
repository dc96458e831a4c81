package dev.berth.net.sandbox;

import dev.berth.bus.EngineException;
import dev.berth.host.NetworkNamespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container's network sandbox: the network namespace it joins, pinned under the namespace
 * directory by container id. Until bridge networking lands, a sandbox holds loopback only.
 */
public final class SandboxService {
    private static final Pattern CONTAINER_ID = Pattern.compile("[0-9a-f]{64}");

    private final Path namespaceDir;
    private final NetworkNamespaces namespaces;

    public SandboxService(Path namespaceDir, NetworkNamespaces namespaces) {
        this.namespaceDir = namespaceDir;
        this.namespaces = namespaces;
    }

    /**
     * Makes the sandbox for a network mode and returns the namespace path the runtime should
     * join, or empty for the host's own namespace.
     */
    public Optional<Path> create(String containerId, String mode) throws IOException {
        Path pin = pinOf(containerId);
        switch (NetworkMode.parse(mode)) {
            case HOST:
                return Optional.empty();
            case NONE:
            case BRIDGE:
                if (Files.exists(pin)) {
                    namespaces.delete(pin);
                }
                namespaces.create(pin);
                return Optional.of(pin);
            default:
                throw EngineException.invalid("network mode " + mode + " is not handled by the network worker");
        }
    }

    public void remove(String containerId) throws IOException {
        namespaces.delete(pinOf(containerId));
    }

    private Path pinOf(String containerId) {
        if (containerId == null || !CONTAINER_ID.matcher(containerId).matches()) {
            throw EngineException.invalid("invalid container id " + containerId);
        }
        return namespaceDir.resolve(containerId);
    }
}
