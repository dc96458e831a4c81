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
 * The endpoints of this node, one JSON file per container and network under the exec root:
 * like the namespaces, veths and rules they describe, they do not outlive a reboot. Records
 * written when a container had one endpoint are named by the container alone, and still read.
 */
public final class EndpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointStore.class);

    private final Path dir;

    public EndpointStore(Path dir) {
        this.dir = dir;
    }

    public void save(StoredEndpoint endpoint) throws IOException {
        Files.createDirectories(dir);
        Path file = fileOf(endpoint.containerId(), endpoint.endpoint().networkId());
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temporary, JobCodec.encodeToString(endpoint), StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The container's endpoints, on every network: only its own files are read, found by name. */
    public List<StoredEndpoint> ofContainer(String containerId) throws IOException {
        return read(name -> name.equals(containerId + ".json") || name.startsWith(containerId + ".") && name.endsWith(".json"));
    }

    public Optional<StoredEndpoint> find(String containerId, String networkId) throws IOException {
        return ofContainer(containerId).stream().filter(e -> e.endpoint().networkId().equals(networkId)).findFirst();
    }

    public void delete(StoredEndpoint endpoint) throws IOException {
        Files.deleteIfExists(fileOf(endpoint.containerId(), endpoint.endpoint().networkId()));
        Path legacy = dir.resolve(endpoint.containerId() + ".json");
        if (Files.exists(legacy)) {
            try {
                StoredEndpoint old = JobCodec.decode(Files.readString(legacy, StandardCharsets.UTF_8), StoredEndpoint.class);
                if (old.endpoint().networkId().equals(endpoint.endpoint().networkId())) {
                    Files.deleteIfExists(legacy);
                }
            } catch (RuntimeException e) {
                LOG.warn("deleting unreadable endpoint record {}: {}", legacy, e.toString());
                Files.deleteIfExists(legacy);
            }
        }
    }

    /** Every stored endpoint; a file that cannot be read is logged and skipped, not fatal. */
    public List<StoredEndpoint> all() throws IOException {
        return read(name -> name.endsWith(".json"));
    }

    private List<StoredEndpoint> read(java.util.function.Predicate<String> names) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<StoredEndpoint> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> names.test(f.getFileName().toString())).toList()) {
                try {
                    all.add(JobCodec.decode(Files.readString(file, StandardCharsets.UTF_8), StoredEndpoint.class));
                } catch (java.nio.file.NoSuchFileException e) {
                    // Deleted by a detach since the listing: not on record any more.
                } catch (RuntimeException e) {
                    LOG.warn("ignoring unreadable endpoint record {}: {}", file, e.toString());
                }
            }
        }
        return all;
    }

    private Path fileOf(String containerId, String networkId) {
        return dir.resolve(containerId + "." + networkId + ".json");
    }
}
