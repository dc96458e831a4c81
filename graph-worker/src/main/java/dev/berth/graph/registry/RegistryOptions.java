package dev.berth.graph.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the graph worker reaches registries: dockerd's {@code insecure-registries} (host:port or
 * CIDR), {@code registry-mirrors} (for docker.io), the directories holding per-registry CA
 * certificates ({@code <dir>/<host:port>/*.crt}), {@code max-concurrent-downloads}/{@code -uploads},
 * and Berth's own {@code registry-stall-timeout}: how long a response body may send nothing
 * before the transfer is abandoned (and a pull resumes it with Range).
 */
public record RegistryOptions(List<String> insecureRegistries, List<String> mirrors, List<Path> certsDirs,
        int maxConcurrentDownloads, int maxConcurrentUploads, Duration stallTimeout) {
    public static final Path DOCKER_CERTS = Path.of("/etc/docker/certs.d");
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(30);

    public RegistryOptions {
        insecureRegistries = List.copyOf(insecureRegistries);
        mirrors = List.copyOf(mirrors);
        certsDirs = List.copyOf(certsDirs);
        if (maxConcurrentDownloads < 1 || maxConcurrentUploads < 1) {
            throw new IllegalArgumentException("max-concurrent-downloads and -uploads must be at least 1");
        }
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("registry-stall-timeout must be positive");
        }
    }

    public RegistryOptions(List<String> insecureRegistries, List<String> mirrors, List<Path> certsDirs,
            int maxConcurrentDownloads, int maxConcurrentUploads) {
        this(insecureRegistries, mirrors, certsDirs, maxConcurrentDownloads, maxConcurrentUploads, DEFAULT_STALL_TIMEOUT);
    }

    /** dockerd's defaults: 3 downloads, 5 uploads, CAs from /etc/docker/certs.d; 30 s without data ends a transfer. */
    public static RegistryOptions defaults() {
        return new RegistryOptions(List.of(), List.of(), List.of(DOCKER_CERTS), 3, 5);
    }
}
