package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A TLS registry that is not on loopback, where Docker's rule (and Berth's) verifies its
 * certificate: Debian's docker-registry in a network namespace made for the test, reached over
 * a veth pair holding a /30 of 172.16.0.0/12 that no route of the host overlaps. Its certificate
 * comes from a CA made by openssl, which Berth trusts only from its certs directory (a temporary
 * one passed with --registry-certs-dir) or not at all when the address is an insecure registry.
 * All traffic stays between the host and that namespace.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryCaIT {
    private static final int PORT = 5000;
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final String NAMESPACE = "berthca-" + SUFFIX;
    private static final String HOST_LINK = "bca" + SUFFIX;
    private static final String PEER_LINK = "bcp" + SUFFIX;

    private static Path tls;
    private static Path certsDir;
    private static String subnet;
    private static String registryAddress;
    private static String address;
    private static boolean namespaceMade;
    private static boolean linkMade;
    private static LocalRegistry registry;
    private static BerthDaemon berth;

    @BeforeAll
    static void start() throws Exception {
        tls = Files.createTempDirectory("berth-ca-tls");
        certsDir = Files.createTempDirectory("berth-ca-certs");
        long base = freeSlash30();
        subnet = dotted(base) + "/30";
        String hostAddress = dotted(base + 1);
        registryAddress = dotted(base + 2);
        address = registryAddress + ":" + PORT;

        ip("netns", "add", NAMESPACE);
        namespaceMade = true;
        ip("link", "add", HOST_LINK, "type", "veth", "peer", "name", PEER_LINK);
        linkMade = true;
        ip("link", "set", PEER_LINK, "netns", NAMESPACE);
        ip("addr", "add", hostAddress + "/30", "dev", HOST_LINK);
        ip("link", "set", HOST_LINK, "up");
        ip("netns", "exec", NAMESPACE, "ip", "link", "set", "lo", "up");
        ip("netns", "exec", NAMESPACE, "ip", "addr", "add", registryAddress + "/30", "dev", PEER_LINK);
        ip("netns", "exec", NAMESPACE, "ip", "link", "set", PEER_LINK, "up");

        registry = LocalRegistry.startTls(tls, registryAddress, PORT, List.of("ip", "netns", "exec", NAMESPACE));
        // skopeo, verifying with the test CA, writes the content Berth pulls
        Path skopeoCerts = Files.createDirectories(tls.resolve("skopeo-certs"));
        Files.copy(tls.resolve("ca.crt"), skopeoCerts.resolve("ca.crt"));
        run(List.of("skopeo", "copy", "--quiet", "--dest-cert-dir=" + skopeoCerts,
                "docker-archive:" + BerthDaemon.busyboxArchive(), "docker://" + address + "/ca/bb:1"));
        berth = BerthDaemon.start("--registry-certs-dir", certsDir.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        List<Throwable> failures = new ArrayList<>();
        cleanUp(failures, () -> {
            if (berth != null) {
                berth.close();
            }
        });
        cleanUp(failures, () -> {
            if (registry != null) {
                registry.close();
            }
        });
        // The host's end first: deleting it removes the pair at once. Deleting the namespace first
        // also takes the pair, but the kernel does that after `ip netns del` returns, so a host end
        // still listed could be gone by the time it was deleted.
        cleanUp(failures, () -> {
            if (linkMade && linkExists(HOST_LINK)) {
                ip("link", "del", HOST_LINK);
            }
        });
        cleanUp(failures, () -> {
            if (namespaceMade) {
                ip("netns", "del", NAMESPACE);
            }
        });
        cleanUp(failures, () -> removeTree(tls));
        cleanUp(failures, () -> removeTree(certsDir));
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("clean-up failed: " + failures.get(0));
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    @Test
    @Order(1)
    void withoutItsCaThePullFailsAsAnUnknownAuthorityAndStoresNothing() throws Exception {
        CliResult pull = berth.docker("pull", address + "/ca/bb:1");
        assertThat(pull.exitCode()).isNotZero();
        assertThat(pull.stderr()).contains("https://" + address + "/v2/",
                "x509: certificate signed by unknown authority");
        assertThat(berth.docker("images", "-a", "-q").out()).isEmpty();
        Path imageRoot = berth.dataRoot().resolve("image");
        try (Stream<Path> files = Files.walk(imageRoot)) {
            assertThat(files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("graph.db"))
                    .map(p -> imageRoot.relativize(p).toString()).toList()).isEmpty();
        }
    }

    @Test
    @Order(2)
    void withItsCaInTheCertsDirectoryThePullSucceeds() throws Exception {
        // put in place while the daemon runs: read at the next pull, as dockerd reads it
        Path hostDir = Files.createDirectories(certsDir.resolve(address));
        Files.copy(tls.resolve("ca.crt"), hostDir.resolve("ca.crt"));
        CliResult pull = berth.docker("pull", address + "/ca/bb:1");
        assertThat(pull.ok()).contains("Status: Downloaded newer image for " + address + "/ca/bb:1");
        assertThat(berth.docker("run", "--rm", address + "/ca/bb:1", "echo", "verified").ok()).contains("verified");
    }

    @Test
    @Order(3)
    void anInsecureRegistryCidrSkipsVerification() throws Exception {
        BerthDaemon insecure = BerthDaemon.start("--insecure-registry", subnet);
        try {
            CliResult pull = insecure.docker("pull", address + "/ca/bb:1");
            assertThat(pull.ok()).contains("Status: Downloaded newer image for " + address + "/ca/bb:1");
            assertThat(insecure.docker("info", "--format", "{{json .RegistryConfig.InsecureRegistryCIDRs}}").ok())
                    .contains(subnet);
        } finally {
            insecure.close();
        }
    }

    // ---- the namespace ----------------------------------------------------------------------

    /** A /30 of 172.16.0.0/12 that overlaps no route of the host (in any table). */
    private static long freeSlash30() throws Exception {
        List<long[]> routes = new ArrayList<>();
        for (String line : run(List.of("ip", "-4", "route", "show", "table", "all")).lines().toList()) {
            long[] prefix = prefix(line);
            if (prefix != null) {
                routes.add(prefix);
            }
        }
        Random random = new Random();
        for (int attempt = 0; attempt < 1000; attempt++) {
            long candidate = (172L << 24 | 16L << 16) + ((long) random.nextInt(1 << 20) << 2);
            boolean free = routes.stream().noneMatch(route -> {
                int length = (int) Math.min(route[1], 30);
                long mask = 0xffffffffL << (32 - length) & 0xffffffffL;
                return (route[0] & mask) == (candidate & mask);
            });
            if (free) {
                return candidate;
            }
        }
        throw new AssertionError("no free /30 in 172.16.0.0/12");
    }

    /** The destination of a line of `ip route` as {address, prefix length}; null for default and the like. */
    private static long[] prefix(String route) {
        String[] words = route.trim().split("\\s+");
        int at = words.length > 1 && List.of("local", "broadcast", "unicast", "unreachable", "blackhole", "prohibit")
                .contains(words[0]) ? 1 : 0;
        if (words.length <= at || words[at].isEmpty() || !Character.isDigit(words[at].charAt(0))) {
            return null;
        }
        String[] cidr = (words[at].contains("/") ? words[at] : words[at] + "/32").split("/");
        String[] octets = cidr[0].split("\\.");
        if (octets.length != 4) {
            return null;
        }
        long value = 0;
        for (String octet : octets) {
            value = value << 8 | Long.parseLong(octet);
        }
        return new long[] {value, Long.parseLong(cidr[1])};
    }

    private static String dotted(long address) {
        return (address >> 24 & 255) + "." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "." + (address & 255);
    }

    private static boolean linkExists(String name) throws Exception {
        Process ip = new ProcessBuilder("ip", "link", "show", name).redirectErrorStream(true).start();
        ip.getInputStream().readAllBytes();
        return ip.waitFor(30, TimeUnit.SECONDS) && ip.exitValue() == 0;
    }

    private static void ip(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        run(command);
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + process.exitValue() + "): " + out);
        }
        return out;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void cleanUp(List<Throwable> failures, Step step) {
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            failures.add(e);
        }
    }

    private static void removeTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
