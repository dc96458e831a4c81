package dev.berth.it;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's docker-registry (distribution 2.8) on 127.0.0.1 and a free port, with its storage in
 * a temporary directory: a real registry for the tests. Ended by its PID, the directory removed.
 */
public final class LocalRegistry implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Path dir;
    private final int port;
    private final Process process;

    private LocalRegistry(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** A plain HTTP registry; extraConfig is appended to its config.yml (auth: sections). */
    public static LocalRegistry start(String extraConfig) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: run deploy/bin/setup-host (package docker-registry)");
        }
        Path dir = Files.createDirectories(Path.of("/tmp", "berth-registry-" + UUID.randomUUID().toString().substring(0, 8)));
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, String.join("\n",
                "version: 0.1",
                "log:",
                "  level: warn",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + dir.resolve("storage"),
                "  delete:",
                "    enabled: true",
                "http:",
                "  addr: 127.0.0.1:" + port,
                extraConfig,
                ""));
        Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        LocalRegistry registry = new LocalRegistry(dir, port, process);
        registry.awaitReady();
        return registry;
    }

    public static LocalRegistry start() throws Exception {
        return start("");
    }

    private void awaitReady() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
            }
            try {
                HttpURLConnection ping = (HttpURLConnection) URI.create("http://" + address() + "/v2/").toURL().openConnection();
                ping.setConnectTimeout(1000);
                int status = ping.getResponseCode();
                ping.disconnect();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("docker-registry did not answer within 30 s");
    }

    /** host:port, as image names use it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public Path storage() {
        return dir.resolve("storage");
    }

    /** The file holding a blob in the registry's filesystem storage. */
    public Path blobFile(String digest) {
        String hex = digest.substring("sha256:".length());
        return storage().resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
    }

    /** Copies a docker-archive into the registry with skopeo: content that no part of Berth wrote. */
    public void copyArchive(Path archive, String repositoryAndTag) throws Exception {
        Process skopeo = new ProcessBuilder("skopeo", "copy", "--quiet", "--dest-tls-verify=false",
                "docker-archive:" + archive, "docker://" + address() + "/" + repositoryAndTag)
                .redirectErrorStream(true).start();
        String out = new String(skopeo.getInputStream().readAllBytes());
        if (!skopeo.waitFor(120, TimeUnit.SECONDS) || skopeo.exitValue() != 0) {
            throw new AssertionError("skopeo copy failed: " + out);
        }
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("registry.log"));
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static List<String> lines(String text) {
        return text.lines().toList();
    }
}
