package dev.berth.graph.registry;

import java.nio.file.Path;
import java.util.List;

/**
 * How the graph worker reaches registries: dockerd's {@code insecure-registries} (host:port or
 * CIDR), {@code registry-mirrors} (for docker.io), the directories holding per-registry CA
 * certificates ({@code <dir>/<host:port>/*.crt}), and {@code max-concurrent-downloads}/{@code -uploads}.
 */
public record RegistryOptions(List<String> insecureRegistries, List<String> mirrors, List<Path> certsDirs,
        int maxConcurrentDownloads, int maxConcurrentUploads) {
    public static final Path DOCKER_CERTS = Path.of("/etc/docker/certs.d");

    public RegistryOptions {
        insecureRegistries = List.copyOf(insecureRegistries);
        mirrors = List.copyOf(mirrors);
        certsDirs = List.copyOf(certsDirs);
        if (maxConcurrentDownloads < 1 || maxConcurrentUploads < 1) {
            throw new IllegalArgumentException("max-concurrent-downloads and -uploads must be at least 1");
        }
    }

    /** dockerd's defaults: 3 downloads, 5 uploads, CAs from /etc/docker/certs.d. */
    public static RegistryOptions defaults() {
        return new RegistryOptions(List.of(), List.of(), List.of(DOCKER_CERTS), 3, 5);
    }
}
