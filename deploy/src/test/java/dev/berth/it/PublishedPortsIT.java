package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** -p and -P with the real docker CLI: ports answered on 127.0.0.1 and the host's address, conflicts, and no leaks. */
class PublishedPortsIT {
    private static BerthDaemon berth;

    @BeforeAll
    static void start() throws Exception {
        berth = BerthDaemon.start();
        berth.loadBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The host's first non-loopback IPv4 address (eth0's here). */
    private static String hostAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback() && !nic.getName().startsWith("bt") && !nic.getName().startsWith("vb")) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return address.getHostAddress();
                    }
                }
            }
        }
        throw new AssertionError("no IPv4 address on this host");
    }

    /** GETs until httpd answers (it binds a moment after the container started). */
    private static String get(String hostAndPort) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Exception last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://" + hostAndPort + "/"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                return response.body();
            } catch (java.net.ConnectException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw last;
    }

    private static long chainRules() throws Exception {
        return BerthDaemon.host("iptables-save", "-t", "nat").lines().filter(l -> l.startsWith("-A BERTH-" + berth.bridge() + " ")).count();
    }

    @Test
    void aPublishedPortAnswersOnLoopbackAndOnTheHostsAddress() throws Exception {
        // Both sockets open at once: two freePort() calls one after the other may answer the same port.
        int loopbackOnly;
        int everywhere;
        try (ServerSocket first = new ServerSocket(0); ServerSocket second = new ServerSocket(0)) {
            loopbackOnly = first.getLocalPort();
            everywhere = second.getLocalPort();
        }
        String id = BridgeNetworkIT.httpd(berth, "published", "-p", "127.0.0.1:" + loopbackOnly + ":80", "-p", everywhere + ":80");
        assertThat(get("127.0.0.1:" + loopbackOnly)).isEqualTo("published\n");
        assertThat(get("127.0.0.1:" + everywhere)).isEqualTo("published\n");
        assertThat(get(hostAddress() + ":" + everywhere)).isEqualTo("published\n");

        assertThat(berth.docker("port", id).ok().lines())
                .containsExactlyInAnyOrder("80/tcp -> 127.0.0.1:" + loopbackOnly, "80/tcp -> 0.0.0.0:" + everywhere);
        JsonObject ports = new JsonObject(berth.docker("inspect", "-f", "{{json .NetworkSettings.Ports}}", id).ok());
        assertThat(ports.fieldNames()).containsExactly("80/tcp");
        assertThat(ports.getJsonArray("80/tcp")).containsExactlyInAnyOrder(
                new JsonObject().put("HostIp", "127.0.0.1").put("HostPort", String.valueOf(loopbackOnly)),
                new JsonObject().put("HostIp", "0.0.0.0").put("HostPort", String.valueOf(everywhere)));
        assertThat(berth.docker("ps", "--format", "{{.Ports}}", "--filter", "id=" + id).ok())
                .contains("127.0.0.1:" + loopbackOnly + "->80/tcp").contains("0.0.0.0:" + everywhere + "->80/tcp");
        String nat = BerthDaemon.host("iptables-save", "-t", "nat");
        assertThat(nat).contains("-A BERTH-" + berth.bridge() + " -d 127.0.0.1/32 -p tcp -m tcp --dport " + loopbackOnly);
        assertThat(berth.docker("ps", "-q", "--no-trunc", "--filter", "publish=" + everywhere).ok().trim()).isEqualTo(id);
        assertThat(berth.docker("ps", "-q", "--filter", "publish=" + everywhere + "/udp").ok()).isEmpty();

        berth.docker("rm", "-f", id).ok();
        assertThat(chainRules()).isZero();
    }

    @Test
    void randomPortsRangesUdpAndPublishAll() throws Exception {
        int low = freePort();
        String id = berth.docker("run", "-d", "-p", "80", "-p", "5353:53/udp", "-P", "--expose", "443", "busybox", "sleep", "60").ok().trim();
        JsonObject ports = new JsonObject(berth.docker("inspect", "-f", "{{json .NetworkSettings.Ports}}", id).ok());
        int random = Integer.parseInt(ports.getJsonArray("80/tcp").getJsonObject(0).getString("HostPort"));
        int exposed = Integer.parseInt(ports.getJsonArray("443/tcp").getJsonObject(0).getString("HostPort"));
        assertThat(random).isBetween(49153, 60999);
        assertThat(exposed).isBetween(49153, 60999).isNotEqualTo(random);
        assertThat(ports.getJsonArray("53/udp").getJsonObject(0).getString("HostPort")).isEqualTo("5353");
        assertThat(BerthDaemon.host("iptables-save", "-t", "nat")).contains("-p udp -m udp --dport 5353");

        String ranged = berth.docker("run", "-d", "-p", low + "-" + (low + 5) + ":80", "busybox", "sleep", "60").ok().trim();
        String port = berth.docker("port", ranged, "80").ok().trim();
        assertThat(Integer.parseInt(port.substring(port.lastIndexOf(':') + 1))).isBetween(low, low + 5);
        berth.docker("rm", "-f", id, ranged).ok();
        assertThat(chainRules()).isZero();
    }

    @Test
    void aPortAlreadyAllocatedIsRefusedAndTheContainerNotStarted() throws Exception {
        int port = freePort();
        String first = berth.docker("run", "-d", "-p", port + ":80", "busybox", "sleep", "60").ok().trim();
        long rules = chainRules();
        CliResult second = berth.docker("run", "-d", "--name", "second", "-p", port + ":80", "busybox", "sleep", "60");
        assertThat(second.exitCode()).isNotZero();
        assertThat(second.stderr()).contains("Bind for 0.0.0.0:" + port + " failed: port is already allocated");
        assertThat(berth.docker("inspect", "-f", "{{.State.Status}} {{.NetworkSettings.IPAddress}}", "second").ok().trim()).isEqualTo("created");
        String secondId = berth.docker("inspect", "-f", "{{.Id}}", "second").ok().trim();
        assertThat(Path.of("/sys/class/net", "vb" + secondId.substring(0, 12))).doesNotExist();
        assertThat(Path.of(berth.execRoot().toString(), "netns", secondId)).doesNotExist();
        assertThat(chainRules()).isEqualTo(rules);

        // A port some other program listens on is refused too.
        try (ServerSocket taken = new ServerSocket(0)) {
            CliResult third = berth.docker("run", "--rm", "-p", taken.getLocalPort() + ":80", "busybox", "true");
            assertThat(third.stderr()).contains("port is already allocated");
        }
        berth.docker("rm", "-f", first, "second").ok();
    }

    @Test
    void manyContainersWithPublishedPortsLeaveNothingBehind() throws Exception {
        int containers = 200;
        for (int i = 0; i < containers; i++) {
            String id = berth.docker("run", "-d", "-p", "80", "-p", "127.0.0.1::81/udp", "busybox", "sleep", "60").ok().trim();
            if (i % 2 == 0) {
                berth.docker("stop", "-t", "0", id).ok();
            }
            berth.docker("rm", "-f", id).ok();
        }
        assertThat(chainRules()).isZero();
        org.awaitility.Awaitility.await().atMost(BerthDaemon.VETH_DELETION).untilAsserted(() -> {
            try (Stream<Path> veths = Files.list(Path.of("/sys/class/net", berth.bridge(), "brif"))) {
                assertThat(veths).isEmpty();
            }
        });
        Path endpoints = berth.execRoot().resolve("network").resolve("endpoints");
        try (Stream<Path> records = Files.isDirectory(endpoints) ? Files.list(endpoints) : Stream.empty()) {
            assertThat(records).isEmpty();
        }
        try (Stream<Path> pins = Files.list(berth.execRoot().resolve("netns"))) {
            assertThat(pins).isEmpty();
        }
        assertThat(BerthDaemon.host("ip", "-o", "link").lines().filter(l -> l.contains("master " + berth.bridge()))).isEmpty();
        assertThat(new JsonArray(berth.docker("network", "inspect", "bridge").ok()).getJsonObject(0).getString("Name")).isEqualTo("bridge");
    }
}
