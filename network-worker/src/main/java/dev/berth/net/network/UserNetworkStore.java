package dev.berth.net.network;

import dev.berth.bus.JobCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** User-defined networks, one JSON file each under the data root: they outlive reboots, as in dockerd. */
public final class UserNetworkStore {
    private final Path dir;

    public UserNetworkStore(Path dir) {
        this.dir = dir;
    }

    public void save(UserNetwork network) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(network.id() + ".json");
        Path temporary = dir.resolve("." + network.id() + ".tmp");
        Files.writeString(temporary, JobCodec.encodeToString(network), StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public void delete(String id) throws IOException {
        Files.deleteIfExists(dir.resolve(id + ".json"));
    }

    public List<UserNetwork> all() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<UserNetwork> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                all.add(JobCodec.decode(Files.readString(file, StandardCharsets.UTF_8), UserNetwork.class));
            }
        }
        return all;
    }
}
