package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The default bridge with the real docker CLI: addresses, NAT, reachability from the host, and nothing left behind. */
class BridgeNetworkIT {
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

    private static String gateway() {
        return berth.bip().substring(0, berth.bip().indexOf('/'));
    }

    private static String subnet() {
        return gateway().substring(0, gateway().lastIndexOf('.')) + ".0/24";
    }

    private static String get(String url) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** busybox httpd serving a page, started detached; returns the container id once it answers. */
    static String httpd(BerthDaemon daemon, String text, String... runOptions) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "-d"));
        args.addAll(java.util.List.of(runOptions));
        args.addAll(java.util.List.of("busybox", "sh", "-c",
                "mkdir -p /www && echo " + text + " > /www/index.html && exec httpd -f -p 80 -h /www"));
        return daemon.docker(args.toArray(new String[0])).ok().trim();
    }

    @Test
    void aContainerOnTheDefaultBridgeAnswersOnItsAddressFromTheHost() throws Exception {
        String id = httpd(berth, "hello-from-the-bridge");
        String ip = berth.docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", id).ok().trim();
        assertThat(ip).startsWith(gateway().substring(0, gateway().lastIndexOf('.') + 1)).isNotEqualTo(gateway());
        String body = null;
        for (int attempt = 0; attempt < 50 && body == null; attempt++) {
            // httpd binds its port a moment after the container started.
            try {
                body = get("http://" + ip + "/");
            } catch (java.net.ConnectException e) {
                Thread.sleep(100);
            }
        }
        assertThat(body).isEqualTo("hello-from-the-bridge\n");

        JsonObject settings = new JsonObject(berth.docker("inspect", "-f", "{{json .NetworkSettings}}", id).ok());
        JsonObject bridge = settings.getJsonObject("Networks").getJsonObject("bridge");
        String networkId = berth.docker("network", "inspect", "-f", "{{.Id}}", "bridge").ok().trim();
        assertThat(bridge.getString("IPAddress")).isEqualTo(ip);
        assertThat(bridge.getString("Gateway")).isEqualTo(gateway()).isEqualTo(settings.getString("Gateway"));
        assertThat(bridge.getInteger("IPPrefixLen")).isEqualTo(24);
        assertThat(bridge.getString("NetworkID")).isEqualTo(networkId);
        assertThat(bridge.getString("EndpointID")).matches("[0-9a-f]{64}").isEqualTo(settings.getString("EndpointID"));
        assertThat(bridge.getString("MacAddress")).matches("02:42(:[0-9a-f]{2}){4}").isEqualTo(settings.getString("MacAddress"));
        assertThat(berth.docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}", "bridge").ok().trim())
                .isEqualTo(subnet() + " " + gateway());

        // A container's own view: eth0 with its address, a route through the bridge, its name in /etc/hosts.
        String inside = berth.docker("run", "--rm", "busybox", "sh", "-c",
                "hostname; ip -4 -o addr show eth0; ip route; cat /etc/hosts; ping -c 1 -W 5 " + gateway() + "; ping -c 1 -W 5 " + ip).ok();
        String hostname = inside.lines().findFirst().orElseThrow();
        java.util.regex.Matcher own = java.util.regex.Pattern.compile("inet ([0-9.]+)/24").matcher(inside);
        assertThat(own.find()).as(inside).isTrue();
        assertThat(own.group(1)).isNotEqualTo(ip);
        assertThat(inside).contains("default via " + gateway()).contains(own.group(1) + "\t" + hostname + "\n");
        assertThat(inside.split("1 packets received", -1)).as(inside).hasSize(3);

        // NAT out: one MASQUERADE rule for the bridge's subnet, not one per container.
        String nat = BerthDaemon.host("iptables-save", "-t", "nat");
        assertThat(nat).containsOnlyOnce("-A POSTROUTING -s " + subnet() + " ! -o " + berth.bridge());
        assertThat(nat).contains("-j MASQUERADE");

        String veth = "vb" + id.substring(0, 12);
        assertThat(Path.of("/sys/class/net", berth.bridge(), "brif", veth)).exists();
        berth.docker("rm", "-f", id).ok();
        org.awaitility.Awaitility.await().atMost(BerthDaemon.VETH_DELETION).untilAsserted(() -> {
            assertThat(Path.of("/sys/class/net", veth)).doesNotExist();
            assertThat(Files.list(Path.of("/sys/class/net", berth.bridge(), "brif"))).isEmpty();
        });
    }

    @Test
    void eachContainerGetsItsOwnAddressAndNoneGetsNoInterface() throws Exception {
        String first = berth.docker("run", "-d", "busybox", "sleep", "60").ok().trim();
        String second = berth.docker("run", "-d", "busybox", "sleep", "60").ok().trim();
        String a = berth.docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", first).ok().trim();
        String b = berth.docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", second).ok().trim();
        assertThat(a).isNotEqualTo(b);
        assertThat(berth.docker("run", "--rm", "busybox", "ping", "-c", "1", "-W", "5", b).ok()).contains("1 packets received");
        String none = berth.docker("run", "--rm", "--network", "none", "busybox", "ip", "-o", "link").ok();
        assertThat(none).contains("lo").doesNotContain("eth0");
        // A stopped container keeps no address, and shows none.
        berth.docker("stop", "-t", "0", first).ok();
        assertThat(berth.docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", first).ok().trim()).isEmpty();
        org.awaitility.Awaitility.await().atMost(BerthDaemon.VETH_DELETION).untilAsserted(() -> assertThat(Path.of("/sys/class/net", "vb" + first.substring(0, 12))).doesNotExist());
        berth.docker("rm", "-f", first, second).ok();
    }

    @Test
    void addHostDnsSearchAndDnsOptionReachTheContainersFiles() throws Exception {
        String out = berth.docker("run", "--rm", "--add-host", "db:10.9.9.9", "--add-host", "gw:host-gateway",
                "--dns-search", "a.test", "--dns-option", "ndots:2", "busybox", "sh", "-c", "cat /etc/hosts /etc/resolv.conf").ok();
        assertThat(out).contains("10.9.9.9\tdb\n").contains(gateway() + "\tgw\n").contains("search a.test\n")
                .contains("options ndots:2\n");
        String bad = berth.rawPost("/v1.51/containers/create", "application/json",
                "{\"Image\":\"busybox\",\"HostConfig\":{\"ExtraHosts\":[\"db:300.1.1.1\"]}}");
        assertThat(bad).startsWith("HTTP/1.1 400").contains("invalid IP address in add-host");
    }

    @Test
    void theDaemonsDnsReplacesTheHostsResolversUnlessTheContainerNamesItsOwn() throws Exception {
        String hostOnly = berth.docker("run", "--rm", "busybox", "cat", "/etc/resolv.conf").ok();
        assertThat(hostOnly).doesNotContain("10.123.0.53");
        BerthDaemon withDns = BerthDaemon.start("--dns", "10.123.0.53", "--dns", "10.123.0.54");
        try {
            withDns.loadBusybox();
            String resolv = withDns.docker("run", "--rm", "busybox", "cat", "/etc/resolv.conf").ok();
            assertThat(resolv.lines().filter(line -> line.startsWith("nameserver")))
                    .containsExactly("nameserver 10.123.0.53", "nameserver 10.123.0.54");
            String own = withDns.docker("run", "--rm", "--dns", "10.9.9.53", "busybox", "cat", "/etc/resolv.conf").ok();
            assertThat(own.lines().filter(line -> line.startsWith("nameserver"))).containsExactly("nameserver 10.9.9.53");
        } finally {
            withDns.close();
        }
    }

    @Test
    void aContainerJoiningAnothersNetworkSharesItsAddressHostnameAndFiles() throws Exception {
        String owner = berth.docker("run", "-d", "--add-host", "owner-only:10.7.7.7", "busybox", "sleep", "600").ok().trim();
        String ip = berth.docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", owner).ok().trim();
        String seen = berth.docker("run", "--rm", "--network", "container:" + owner, "busybox", "sh", "-c",
                "hostname; ip -4 addr show eth0; cat /etc/hosts").ok();
        assertThat(seen).startsWith(owner.substring(0, 12) + "\n").contains("inet " + ip + "/")
                .contains("10.7.7.7\towner-only\n").contains(ip + "\t" + owner.substring(0, 12) + "\n");
        assertThat(berth.docker("run", "--rm", "--network", "container:" + owner, "--dns", "10.1.1.1", "busybox", "true").stderr())
                .contains("conflicting options: dns and the network mode");
        assertThat(berth.docker("run", "--rm", "--network", "container:" + owner, "-p", "8080:80", "busybox", "true").stderr())
                .contains("conflicting options: port publishing and the container type network mode");
        berth.docker("rm", "-f", owner).ok();
    }

    @Test
    void aLegacyLinkPutsTheAliasInHostsAndTheLinkedContainersPortsAndEnvironmentInTheEnvironment() throws Exception {
        String db = "link-db-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String id = berth.docker("run", "-d", "--name", db, "-e", "SECRET=s3", "--expose", "5432", "busybox", "sleep", "600").ok().trim();
        String ip = berth.docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", id).ok().trim();
        String seen = berth.docker("run", "--rm", "--name", db + "-web", "--link", db + ":db", "busybox", "sh", "-c",
                "env; cat /etc/hosts; ping -c 1 -W 5 db >/dev/null && echo reached").ok();
        assertThat(seen).contains("DB_PORT=tcp://" + ip + ":5432\n").contains("DB_PORT_5432_TCP_ADDR=" + ip + "\n")
                .contains("DB_PORT_5432_TCP_PORT=5432\n").contains("DB_PORT_5432_TCP_PROTO=tcp\n")
                .contains("DB_NAME=/" + db + "-web/db\n").contains("DB_ENV_SECRET=s3\n")
                .contains(ip + "\tdb " + id.substring(0, 12) + " " + db + "\n").contains("reached\n");
        assertThat(berth.docker("run", "--rm", "--link", "ghost-" + db, "busybox", "true").stderr())
                .contains("could not get container for ghost-" + db);
        String web = db + "-linked";
        berth.docker("create", "--name", web, "--link", db + ":db", "busybox", "env").ok();
        assertThat(berth.docker("start", "-a", web).ok()).contains("DB_NAME=/" + web + "/db\n");
        assertThat(berth.docker("rm", "--link", web + "/nope").stderr()).contains("No such container: /" + web + "/nope");
        assertThat(berth.docker("rm", "--link", db).stderr()).contains("cannot remove the default link name");
        berth.docker("rm", "--link", web + "/db").ok();
        assertThat(berth.docker("start", "-a", web).ok()).doesNotContain("DB_");
        assertThat(berth.docker("ps", "-a", "-q", "--filter", "name=" + db).ok().lines()).hasSize(2);
        berth.docker("rm", web).ok();
        berth.docker("stop", "-t", "0", id).ok();
        // The stopped container's veth is deleted in the background: counted once it is gone.
        org.awaitility.Awaitility.await().atMost(BerthDaemon.VETH_DELETION)
                .untilAsserted(() -> assertThat(Path.of("/sys/class/net", "vb" + id.substring(0, 12))).doesNotExist());
        long attached;
        try (var ports = Files.list(Path.of("/sys/class/net", berth.bridge(), "brif"))) {
            attached = ports.count();
        }
        assertThat(berth.docker("run", "--rm", "--link", db + ":db", "busybox", "true").stderr())
                .contains("Cannot link to a non running container: /" + db);
        org.awaitility.Awaitility.await().atMost(BerthDaemon.VETH_DELETION).untilAsserted(() -> {
            try (var ports = Files.list(Path.of("/sys/class/net", berth.bridge(), "brif"))) {
                assertThat(ports.count()).as("the failed start's veth is released").isEqualTo(attached);
            }
        });
        berth.docker("rm", "-f", id).ok();
    }

    @Test
    void anEndpointOutlivesADaemonCrashAndIsReleasedAtRemoval() throws Exception {
        BerthDaemon crashed = BerthDaemon.start();
        try {
            crashed.loadBusybox();
            String id = crashed.docker("run", "-d", "busybox", "sleep", "600").ok().trim();
            String veth = "vb" + id.substring(0, 12);
            assertThat(Path.of("/sys/class/net", veth)).exists();
            crashed.kill();
            crashed.restart();
            crashed.docker("rm", "-f", id).ok();
            org.awaitility.Awaitility.await().atMost(BerthDaemon.VETH_DELETION).untilAsserted(() -> {
                assertThat(Path.of("/sys/class/net", veth)).doesNotExist();
                assertThat(Files.list(Path.of("/sys/class/net", crashed.bridge(), "brif"))).isEmpty();
            });
        } finally {
            crashed.close();
        }
    }

    @Test
    void vethsStillBeingDeletedAndSpareSandboxesGoWhenTheDaemonStopsOrDies() throws Exception {
        BerthDaemon daemon = BerthDaemon.start();
        try {
            daemon.loadBusybox();
            // The pool's spares wait off the bridge, and a start puts one of them into use.
            org.awaitility.Awaitility.await().atMost(BerthDaemon.VETH_DELETION).until(() -> sparesOf(daemon).size() == 2);
            java.util.Map<String, String> spares = sparesOf(daemon);
            String id = daemon.docker("run", "-d", "busybox", "sleep", "600").ok().trim();
            assertThat(spares).containsValue(BerthDaemon.host("cat", "/sys/class/net/vb" + id.substring(0, 12) + "/ifindex").trim());
            assertThat(daemon.docker("exec", id, "ip", "-o", "-4", "addr", "show", "eth0").ok())
                    .contains("inet " + daemon.docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", id).ok().trim() + "/");
            assertThat(daemon.docker("exec", id, "cat", "/sys/class/net/eth0/address").ok().trim())
                    .isEqualTo(daemon.docker("inspect", "-f", "{{.NetworkSettings.MacAddress}}", id).ok().trim());
            daemon.docker("rm", "-f", id).ok();

            // A clean stop right after removals: the deletions handed to the background finish
            // first, and the spares go too.
            java.util.List<String> removed = removeRunningContainers(daemon, 3);
            daemon.stop();
            assertNoVethOrPinOf(daemon, removed);
            assertThat(sparesOf(daemon)).isEmpty();

            // A crash right after removals: the namespaces were unpinned before the answer, so the
            // kernel takes their veth pairs down, the spares' with the descriptors that held them,
            // and the restart deletes whatever is left.
            daemon.restart();
            removed = removeRunningContainers(daemon, 3);
            org.awaitility.Awaitility.await().atMost(BerthDaemon.VETH_DELETION).until(() -> sparesOf(daemon).size() == 2);
            java.util.Set<String> before = sparesOf(daemon).keySet();
            daemon.kill();
            daemon.restart();
            java.util.List<String> gone = removed;
            org.awaitility.Awaitility.await().atMost(BerthDaemon.VETH_DELETION).untilAsserted(() -> {
                assertNoVethOrPinOf(daemon, gone);
                assertThat(sparesOf(daemon)).hasSize(2).doesNotContainKeys(before.toArray(new String[0]));
            });
            assertThat(daemon.docker("run", "--rm", "busybox", "ip", "-o", "-4", "addr", "show", "eth0").ok()).contains("inet ");
        } finally {
            daemon.close();
        }
        assertThat(sparesOf(daemon)).isEmpty();
    }

    /** The host ends of the daemon's spare sandboxes' veths (labelled with their bridge), by name, with their index. */
    private static java.util.Map<String, String> sparesOf(BerthDaemon daemon) throws Exception {
        java.util.Map<String, String> spares = new java.util.TreeMap<>();
        try (var links = Files.list(Path.of("/sys/class/net"))) {
            for (Path link : links.toList()) {
                try {
                    if (Files.readString(link.resolve("ifalias")).trim().equals("berth-pool:" + daemon.bridge())) {
                        spares.put(link.getFileName().toString(), Files.readString(link.resolve("ifindex")).trim());
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    // Gone since the listing.
                }
            }
        }
        return spares;
    }

    private static java.util.List<String> removeRunningContainers(BerthDaemon daemon, int count) throws Exception {
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(daemon.docker("run", "-d", "busybox", "sleep", "600").ok().trim());
        }
        java.util.List<String> rm = new java.util.ArrayList<>(java.util.List.of("rm", "-f"));
        rm.addAll(ids);
        daemon.docker(rm.toArray(new String[0])).ok();
        return ids;
    }

    private static void assertNoVethOrPinOf(BerthDaemon daemon, java.util.List<String> ids) throws Exception {
        for (String id : ids) {
            assertThat(Path.of("/sys/class/net", "vb" + id.substring(0, 12))).doesNotExist();
            assertThat(daemon.execRoot().resolve("netns").resolve(id)).doesNotExist();
        }
        try (var ports = Files.list(Path.of("/sys/class/net", daemon.bridge(), "brif"))) {
            assertThat(ports).isEmpty();
        }
    }
}
