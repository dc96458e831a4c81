package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker network connect and disconnect with the real CLI, on running and on stopped
 * containers: the interfaces inside, the names the embedded DNS answers, inspect on both sides,
 * what survives restarts, dockerd's refusals, and nothing left behind.
 */
class NetworkConnectIT {
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

    /**
     * A user network on a free 10.x.y.0/24 and a bridge device of its own; answers the subnet's
     * first three octets, which stand for "{p}" in options.
     */
    private static String network(String name, String... options) throws Exception {
        String bip = BerthDaemon.freeBridgeAddress();
        String prefix = bip.substring(0, bip.lastIndexOf('.'));
        List<String> args = new java.util.ArrayList<>(List.of("network", "create", "--subnet", prefix + ".0/24",
                "-o", "com.docker.network.bridge.name=" + bridgeOf(name)));
        for (String option : options) {
            args.add(option.replace("{p}", prefix));
        }
        args.add(name);
        berth.docker(args.toArray(new String[0])).ok();
        return prefix;
    }

    private static String bridgeOf(String network) {
        return "bc" + Integer.toHexString((network + berth.bridge()).hashCode());
    }

    /** The host ends of the veths on a bridge now. */
    private static List<String> portsOf(String bridge) throws Exception {
        try (Stream<Path> ports = Files.list(Path.of("/sys/class/net", bridge, "brif"))) {
            return ports.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static JsonObject networksOf(String container) throws Exception {
        return new JsonObject(berth.docker("inspect", "-f", "{{json .NetworkSettings.Networks}}", container).ok());
    }

    private static String ipv4Addresses(String container) throws Exception {
        return berth.docker("exec", container, "ip", "-o", "-4", "addr").ok();
    }

    /** Polls a command inside a container until it succeeds (httpd binds a moment after start). */
    private static String fetchIn(String container, String url) throws Exception {
        return berth.docker("exec", container, "sh", "-c",
                "for i in $(seq 50); do wget -q -O- " + url + " 2>/dev/null && exit 0; sleep 0.1; done; exit 1").ok();
    }

    @Test
    void aRunningContainerGetsAnInterfaceNamesAndInspectEntriesAndLosesThemAgain() throws Exception {
        String since = Long.toString(Instant.now().getEpochSecond() - 1);
        String p = network("front");
        String web = BridgeNetworkIT.httpd(berth, "web-on-front", "--name", "web", "--network", "front");
        String client = berth.docker("run", "-d", "--name", "client", "busybox", "sleep", "1000").ok().trim();
        assertThat(ipv4Addresses(client)).contains("eth0").doesNotContain("eth1");

        berth.docker("network", "connect", "--alias", "cli", "--alias", "frontdoor", "front", "client").ok();
        String inside = ipv4Addresses(client);
        assertThat(inside).containsPattern("eth1\\s+inet " + p.replace(".", "\\.") + "\\.\\d+/24");
        JsonObject front = networksOf(client).getJsonObject("front");
        String ip = front.getString("IPAddress");
        assertThat(ip).startsWith(p + ".");
        assertThat(front.getString("Gateway")).isEqualTo(p + ".1");
        assertThat(front.getString("MacAddress")).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
        assertThat(front.getJsonArray("Aliases").getList()).containsExactly("cli", "frontdoor");
        assertThat(networksOf(client).fieldNames()).containsExactlyInAnyOrder("bridge", "front");
        JsonObject members = new JsonObject(berth.docker("network", "inspect", "-f", "{{json .Containers}}", "front").ok());
        assertThat(members.getJsonObject(client).getString("IPv4Address")).isEqualTo(ip + "/24");
        // The default route stays with the first network; the new one brings its subnet.
        String routes = berth.docker("exec", client, "ip", "route").ok();
        assertThat(routes).contains("default via").contains(p + ".0/24 dev eth1").doesNotContain("default via " + p);
        assertThat(berth.docker("exec", client, "cat", "/etc/hosts").ok()).contains(ip + "\t");
        assertThat(berth.docker("ps", "-q", "--no-trunc", "--filter", "network=front").ok().lines()).contains(client);

        // Both ways by name, through the network's embedded DNS.
        assertThat(fetchIn(client, "http://web/")).isEqualTo("web-on-front\n");
        String lookup = berth.docker("run", "--rm", "--network", "front", "busybox", "sh", "-c",
                "nslookup client; nslookup cli; nslookup frontdoor").ok();
        assertThat(lookup.split("Address: " + ip, -1)).as(lookup).hasSize(4);
        assertThat(berth.docker("exec", web, "ping", "-c", "1", "-W", "5", "cli").ok()).contains("1 packets received");

        CliResult twice = berth.docker("network", "connect", "front", "client");
        assertThat(twice.exitCode()).isNotZero();
        assertThat(twice.stderr()).contains("endpoint with name client already exists in network front");

        berth.docker("network", "disconnect", "front", "client").ok();
        assertThat(ipv4Addresses(client)).doesNotContain("eth1").doesNotContain(ip);
        assertThat(berth.docker("exec", client, "ip", "link").ok()).doesNotContain("eth1");
        assertThat(networksOf(client).fieldNames()).containsExactly("bridge");
        assertThat(berth.docker("network", "inspect", "-f", "{{json .Containers}}", "front").ok()).doesNotContain(client);
        assertThat(berth.docker("ps", "-q", "--no-trunc", "--filter", "network=front").ok()).doesNotContain(client);
        assertThat(portsOf(bridgeOf("front"))).hasSize(1);
        assertThat(berth.docker("exec", client, "cat", "/etc/hosts").ok()).doesNotContain(ip + "\t");
        CliResult gone = berth.docker("run", "--rm", "--network", "front", "busybox", "nslookup", "cli");
        assertThat(gone.out() + gone.stderr()).doesNotContain("Address: " + ip);
        CliResult notThere = berth.docker("network", "disconnect", "front", "client");
        assertThat(notThere.exitCode()).isNotZero();
        assertThat(notThere.stderr()).contains("container " + client + " is not connected to network front");

        // The last network too: only lo is left, as with dockerd.
        berth.docker("network", "disconnect", "bridge", "client").ok();
        assertThat(berth.docker("exec", client, "ip", "-o", "link").ok().lines()).hasSize(1).allMatch(l -> l.contains(": lo:"));
        assertThat(networksOf(client).fieldNames()).isEmpty();
        assertThat(portsOf(berth.bridge())).isEmpty();
        berth.docker("network", "connect", "bridge", "client").ok();
        assertThat(berth.docker("exec", client, "ip", "route").ok()).contains("default via").contains("dev eth0");

        String events = berth.docker("events", "--since", since, "--until", Instant.now().toString(), "--filter", "type=network",
                "--format", "{{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.container}}").ok();
        assertThat(events.lines().toList()).containsSubsequence("connect front " + client, "disconnect front " + client,
                "disconnect bridge " + client, "connect bridge " + client);
        berth.docker("rm", "-f", client, web).ok();
        berth.docker("network", "rm", "front").ok();
    }

    @Test
    void aStoppedContainerJoinsAtStartAndKeepsItsNetworksThroughRestarts() throws Exception {
        String p = network("later");
        berth.docker("create", "--name", "sleeper", "busybox", "sleep", "1000").ok();
        berth.docker("network", "connect", "--ip", p + ".77", "--alias", "nap", "later", "sleeper").ok();
        JsonObject recorded = networksOf("sleeper");
        assertThat(recorded.fieldNames()).containsExactlyInAnyOrder("bridge", "later");
        assertThat(recorded.getJsonObject("later").getString("IPAddress")).isEmpty();
        assertThat(recorded.getJsonObject("later").getJsonObject("IPAMConfig").getString("IPv4Address")).isEqualTo(p + ".77");

        berth.docker("start", "sleeper").ok();
        assertThat(ipv4Addresses("sleeper")).contains("eth0").containsPattern("eth1\\s+inet " + p.replace(".", "\\.") + "\\.77/24");
        assertThat(networksOf("sleeper").getJsonObject("later").getString("IPAddress")).isEqualTo(p + ".77");

        berth.docker("restart", "-t", "0", "sleeper").ok();
        assertThat(ipv4Addresses("sleeper")).contains(p + ".77/24");

        // live-restore: the endpoints and the names outlive a killed daemon.
        berth.kill();
        Thread.sleep(500);
        berth.restart();
        assertThat(ipv4Addresses("sleeper")).contains(p + ".77/24");
        assertThat(networksOf("sleeper").getJsonObject("later").getString("IPAddress")).isEqualTo(p + ".77");
        String lookup = berth.docker("run", "--rm", "--network", "later", "busybox", "nslookup", "nap").ok();
        assertThat(lookup).contains("Address: " + p + ".77");

        berth.docker("network", "disconnect", "later", "sleeper").ok();
        assertThat(ipv4Addresses("sleeper")).doesNotContain(p + ".");
        berth.docker("restart", "-t", "0", "sleeper").ok();
        assertThat(ipv4Addresses("sleeper")).doesNotContain("eth1");
        assertThat(networksOf("sleeper").fieldNames()).containsExactly("bridge");

        // A network removed while a stopped container still lists it: the start fails as in dockerd,
        // and disconnect -f takes the name off the list.
        berth.docker("stop", "-t", "0", "sleeper").ok();
        network("fleeting");
        berth.docker("network", "connect", "fleeting", "sleeper").ok();
        berth.docker("network", "rm", "fleeting").ok();
        CliResult orphaned = berth.docker("start", "sleeper");
        assertThat(orphaned.exitCode()).isNotZero();
        assertThat(orphaned.stderr()).contains("network fleeting not found");
        assertFails(berth.docker("network", "disconnect", "fleeting", "sleeper"), "network fleeting not found");
        berth.docker("network", "disconnect", "-f", "fleeting", "sleeper").ok();
        assertThat(networksOf("sleeper").fieldNames()).containsExactly("bridge");
        berth.docker("start", "sleeper").ok();
        assertThat(ipv4Addresses("sleeper")).contains("eth0").doesNotContain("eth1");

        // Stopped without a network at all: it starts with only lo.
        berth.docker("stop", "-t", "0", "sleeper").ok();
        berth.docker("network", "disconnect", "bridge", "sleeper").ok();
        berth.docker("start", "sleeper").ok();
        assertThat(berth.docker("exec", "sleeper", "ip", "-o", "link").ok().lines()).hasSize(1);
        berth.docker("rm", "-f", "sleeper").ok();
        berth.docker("network", "rm", "later").ok();
    }

    @Test
    void whatDockerdRefusesIsRefusedWithItsMessages() throws Exception {
        String p = network("strict");
        berth.docker("network", "create", "-o", "com.docker.network.bridge.name=" + bridgeOf("auto"), "auto").ok();
        String running = berth.docker("run", "-d", "--name", "plain", "busybox", "sleep", "1000").ok().trim();

        assertFails(berth.docker("network", "connect", "nosuchnet", "plain"), "network nosuchnet not found");
        assertFails(berth.docker("network", "connect", "strict", "nosuchcontainer"), "No such container: nosuchcontainer");
        assertFails(berth.docker("network", "connect", "--ip", "10.250.250.250", "strict", "plain"),
                "no configured subnet or ip-range contain the IP address 10.250.250.250");
        assertFails(berth.docker("network", "connect", "--ip", "10.9.9.9", "auto", "plain"),
                "user specified IP address is supported only when connecting to networks with user configured subnets");
        berth.docker("create", "--name", "elsewhere", "--network", "strict", "busybox", "true").ok();
        assertFails(berth.docker("network", "connect", "--alias", "x", "bridge", "elsewhere"),
                "network-scoped alias is supported only for containers in user defined networks");
        assertFails(berth.docker("network", "connect", "--link", "plain:other", "strict", "plain"),
                "berth does not support --link on docker network connect yet");
        assertFails(berth.docker("network", "connect", "host", "plain"),
                "container cannot be disconnected from host network or connected to host network");
        assertFails(berth.docker("network", "disconnect", "nosuchnet", "plain"), "network nosuchnet not found");

        berth.docker("run", "-d", "--name", "onhost", "--network", "host", "busybox", "sleep", "1000").ok();
        assertFails(berth.docker("network", "connect", "strict", "onhost"),
                "container sharing network namespace with another container or host cannot be connected to any other network");
        berth.docker("create", "--name", "isolated", "--network", "none", "busybox", "true").ok();
        assertFails(berth.docker("network", "connect", "strict", "isolated"),
                "container cannot be connected to multiple networks with one of the networks in private (none) mode");
        berth.docker("create", "--name", "joiner", "--network", "container:plain", "busybox", "true").ok();
        assertFails(berth.docker("network", "connect", "strict", "joiner"),
                "container sharing network namespace with another container or host cannot be connected to any other network");

        // None of the refusals left anything: the container still has its one interface, the networks no member.
        assertThat(ipv4Addresses(running)).doesNotContain("eth1");
        assertThat(portsOf(bridgeOf("strict"))).isEmpty();
        assertThat(portsOf(bridgeOf("auto"))).isEmpty();
        berth.docker("rm", "-f", "plain", "onhost", "isolated", "joiner", "elsewhere").ok();
        berth.docker("network", "rm", "strict", "auto").ok();
    }

    private static void assertFails(CliResult result, String message) {
        assertThat(result.exitCode()).as(result.command()).isNotZero();
        assertThat(result.stderr()).as(result.command()).contains(message);
    }

    @Test
    void connectingOverAndOverLeavesNoVethAddressOrRule() throws Exception {
        // An ip-range of eight addresses: a leaked address would run the pool dry long before the last round.
        network("churn", "--ip-range", "{p}.8/29");
        String rulesBefore = rulesOf(bridgeOf("churn"));
        String id = berth.docker("run", "-d", "--name", "churner", "busybox", "sleep", "1000").ok().trim();
        for (int round = 0; round < 20; round++) {
            berth.docker("network", "connect", "--alias", "round" + round, "churn", "churner").ok();
            assertThat(ipv4Addresses(id)).as("round " + round).contains("eth1");
            berth.docker("network", "disconnect", "churn", "churner").ok();
        }
        assertThat(berth.docker("exec", id, "ip", "-o", "link").ok()).doesNotContain("eth1");
        assertThat(portsOf(bridgeOf("churn"))).isEmpty();
        assertThat(rulesOf(bridgeOf("churn"))).isEqualTo(rulesBefore);
        assertThat(berth.docker("network", "inspect", "-f", "{{len .Containers}}", "churn").ok().trim()).isEqualTo("0");
        assertThat(Files.list(berth.execRoot().resolve("network").resolve("endpoints")).map(f -> f.getFileName().toString())
                .filter(f -> f.startsWith(id)).toList()).hasSize(1);
        berth.docker("rm", "-f", id).ok();
        org.awaitility.Awaitility.await().atMost(BerthDaemon.VETH_DELETION).untilAsserted(() -> assertThat(portsOf(berth.bridge())).isEmpty());
        berth.docker("network", "rm", "churn").ok();
        assertThat(rulesOf(bridgeOf("churn"))).isEmpty();
    }

    /** This bridge's rules in iptables, sorted (the order of iptables-save is not this test's concern). */
    private static String rulesOf(String bridge) throws Exception {
        return String.join("\n", BerthDaemon.host("iptables-save").lines().filter(l -> l.contains("berth:" + bridge)).sorted().toList());
    }
}
