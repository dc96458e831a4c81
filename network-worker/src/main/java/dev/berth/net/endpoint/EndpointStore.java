package dev.berth.net.endpoint;

import dev.berth.bus.JobCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints of this node, one JSON file per container under the exec root: like the
 * namespaces, veths and rules they describe, they do not outlive a reboot.
 */
public final class EndpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointStore.class);

    private final Path dir;

    public EndpointStore(Path dir) {
        this.dir = dir;
    }

    public void save(StoredEndpoint endpoint) throws IOException {
        Files.createDirectories(dir);
        Path file = fileOf(endpoint.containerId());
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temporary, JobCodec.encodeToString(endpoint), StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public Optional<StoredEndpoint> find(String containerId) throws IOException {
        Path file = fileOf(containerId);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(JobCodec.decode(Files.readString(file, StandardCharsets.UTF_8), StoredEndpoint.class));
    }

    public void delete(String containerId) throws IOException {
        Files.deleteIfExists(fileOf(containerId));
    }

    /** Every stored endpoint; a file that cannot be read is logged and skipped, not fatal. */
    public List<StoredEndpoint> all() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<StoredEndpoint> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                try {
                    all.add(JobCodec.decode(Files.readString(file, StandardCharsets.UTF_8), StoredEndpoint.class));
                } catch (RuntimeException e) {
                    LOG.warn("ignoring unreadable endpoint record {}: {}", file, e.toString());
                }
            }
        }
        return all;
    }

    private Path fileOf(String containerId) {
        return dir.resolve(containerId + ".json");
    }
}
