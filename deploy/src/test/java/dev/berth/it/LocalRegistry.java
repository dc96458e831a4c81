package dev.berth.it;

import java.io.IOException;
import java.net.ServerSocket;
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
    private final String host;
    private final int port;
    private final Process process;

    private LocalRegistry(Path dir, String host, int port, Process process) {
        this.dir = dir;
        this.host = host;
        this.port = port;
        this.process = process;
    }

    /** A plain HTTP registry; extraConfig is appended to its config.yml (auth: sections). */
    public static LocalRegistry start(String extraConfig) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        return start(extraConfig, "127.0.0.1", port, List.of());
    }

    /**
     * A registry listening on host:port, started through launcher (e.g. {@code ip netns exec NS},
     * which execs the registry, so the process's PID is the registry's).
     */
    private static LocalRegistry start(String extraConfig, String host, int port, List<String> launcher) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: run deploy/bin/setup-host (package docker-registry)");
        }
        Path dir = Files.createDirectories(Path.of("/tmp", "berth-registry-" + UUID.randomUUID().toString().substring(0, 8)));
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
                "  addr: " + host + ":" + port,
                extraConfig,
                ""));
        List<String> command = new java.util.ArrayList<>(launcher);
        command.addAll(List.of(BINARY.toString(), "serve", config.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        LocalRegistry registry = new LocalRegistry(dir, host, port, process);
        try {
            registry.awaitReady();
        } catch (Exception | AssertionError e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    public static LocalRegistry start() throws Exception {
        return start("");
    }

    /**
     * A registry serving TLS with a certificate for 127.0.0.1 from a CA made for the test (by
     * openssl, in dir), plus extraConfig. Returns the registry; its CA is {@link #caCertificate()}.
     */
    public static LocalRegistry startTls(Path dir, String extraConfig) throws Exception {
        makeCertificates(dir, "127.0.0.1");
        return start(tlsConfig(dir) + extraConfig);
    }

    /**
     * A TLS registry on address:port (an address of a network namespace), its certificate for
     * that address from a CA made for the test in dir, started through launcher.
     */
    public static LocalRegistry startTls(Path dir, String address, int port, List<String> launcher) throws Exception {
        makeCertificates(dir, address);
        return start(tlsConfig(dir), address, port, launcher);
    }

    private static String tlsConfig(Path dir) {
        return "  tls:\n    certificate: " + dir.resolve("server.crt") + "\n    key: " + dir.resolve("server.key") + "\n";
    }

    /** A test CA (ca.crt) and a server certificate for an IP address signed by it, made by openssl in dir. */
    private static void makeCertificates(Path dir, String address) throws Exception {
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1",
                "-subj", "/CN=berth test CA");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=" + address);
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:" + address + "\n");
        openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "1", "-extfile", "san.ext");
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process openssl = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes());
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }

    /** Listening is enough: the registry may speak TLS, which a plain ping cannot check. */
    private void awaitReady() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
            }
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(new java.net.InetSocketAddress(host, port), 1000);
                return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("docker-registry did not answer within 30 s");
    }

    /** host:port, as image names use it. */
    public String address() {
        return host + ":" + port;
    }

    public long pid() {
        return process.pid();
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
