package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docker network create/ls/inspect/rm/prune with the real CLI, and containers on user networks. */
class UserNetworkIT {
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

    /** A free 10.x.y (three octets) for a /24 of this test. */
    private static String freePrefix() {
        String bip = BerthDaemon.freeBridgeAddress();
        return bip.substring(0, bip.lastIndexOf('.'));
    }

    @Test
    void aUserNetworkWithItsOwnSubnetCarriesTrafficBetweenItsContainers() throws Exception {
        String p = freePrefix();
        String bridge = "bu" + Long.toHexString(System.nanoTime()).substring(0, 8);
        String id = berth.docker("network", "create", "--subnet", p + ".0/24", "--gateway", p + ".254", "--ip-range", p + ".128/25",
                "--label", "team=a", "-o", "com.docker.network.bridge.name=" + bridge, "net1").ok().trim();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(Path.of("/sys/class/net", bridge)).exists();
        assertThat(berth.docker("network", "ls", "--format", "{{.Name}} {{.Driver}}", "--filter", "label=team=a").ok().trim())
                .isEqualTo("net1 bridge");
        JsonObject inspect = new JsonObject(berth.docker("network", "inspect", "-f", "{{json .}}", "net1").ok());
        JsonObject pool = inspect.getJsonObject("IPAM").getJsonArray("Config").getJsonObject(0);
        assertThat(pool.getString("Subnet")).isEqualTo(p + ".0/24");
        assertThat(pool.getString("Gateway")).isEqualTo(p + ".254");
        assertThat(pool.getString("IPRange")).isEqualTo(p + ".128/25");
        assertThat(inspect.getJsonObject("Options").getString("com.docker.network.bridge.name")).isEqualTo(bridge);

        CliResult duplicate = berth.docker("network", "create", "--subnet", freePrefix() + ".0/24", "net1");
        assertThat(duplicate.exitCode()).isNotZero();
        assertThat(duplicate.stderr()).contains("network with name net1 already exists");
        CliResult overlap = berth.docker("network", "create", "--subnet", p + ".0/25", "net2");
        assertThat(overlap.exitCode()).isNotZero();
        assertThat(overlap.stderr()).contains("Pool overlaps with other one on this address space");

        String server = BridgeNetworkIT.httpd(berth, "on-net1", "--name", "server", "--network", "net1");
        String ip = berth.docker("inspect", "-f", "{{.NetworkSettings.Networks.net1.IPAddress}}", server).ok().trim();
        assertThat(ip).startsWith(p + ".");
        assertThat(Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1))).isBetween(128, 253);
        assertThat(berth.docker("inspect", "-f", "{{.NetworkSettings.Networks.net1.Gateway}}", server).ok().trim()).isEqualTo(p + ".254");
        JsonObject containers = new JsonObject(berth.docker("network", "inspect", "-f", "{{json .Containers}}", "net1").ok());
        assertThat(containers.getJsonObject(server).getString("Name")).isEqualTo("server");
        assertThat(containers.getJsonObject(server).getString("IPv4Address")).isEqualTo(ip + "/24");

        String fetched = berth.docker("run", "--rm", "--network", "net1", "busybox", "sh", "-c",
                "for i in $(seq 50); do wget -O- http://" + ip + "/ 2>/dev/null && exit 0; sleep 0.1; done; exit 1").ok();
        assertThat(fetched).isEqualTo("on-net1\n");

        CliResult inUse = berth.docker("network", "rm", "net1");
        assertThat(inUse.exitCode()).isNotZero();
        assertThat(inUse.stderr()).contains("has active endpoints");
        berth.docker("rm", "-f", server).ok();
        assertThat(berth.docker("network", "rm", "net1").ok().trim()).isEqualTo("net1");
        assertThat(Path.of("/sys/class/net", bridge)).doesNotExist();
        assertThat(BerthDaemon.host("iptables-save")).doesNotContain("berth:" + bridge);
    }

    @Test
    void anInternalNetworkHasNoWayOutAndPruneRemovesUnusedNetworks() throws Exception {
        String p = freePrefix();
        berth.docker("network", "create", "--internal", "--subnet", p + ".0/24", "--label", "scratch", "inside").ok();
        String routes = berth.docker("run", "--rm", "--network", "inside", "busybox", "ip", "route").ok();
        assertThat(routes).contains(p + ".0/24").doesNotContain("default");
        assertThat(berth.docker("network", "inspect", "-f", "{{.Internal}}", "inside").ok().trim()).isEqualTo("true");

        berth.docker("network", "create", "--subnet", freePrefix() + ".0/24", "kept").ok();
        String pruned = berth.docker("network", "prune", "-f", "--filter", "label=scratch").ok();
        assertThat(pruned).contains("inside").doesNotContain("kept");
        assertThat(berth.docker("network", "ls", "--format", "{{.Name}}").ok().lines()).contains("kept").doesNotContain("inside");
        berth.docker("network", "rm", "kept").ok();
    }

    @Test
    void containersFindEachOtherByNameThroughTheEmbeddedDns() throws Exception {
        String p = freePrefix();
        berth.docker("network", "create", "--subnet", p + ".0/24", "names").ok();
        String web = BridgeNetworkIT.httpd(berth, "found-by-name", "--name", "dnsweb", "--network", "names",
                "--network-alias", "www", "--ip", p + ".50", "--mac-address", "02:42:de:ad:be:ef");
        String ip = berth.docker("inspect", "-f", "{{.NetworkSettings.Networks.names.IPAddress}}", web).ok().trim();
        assertThat(ip).isEqualTo(p + ".50");
        assertThat(berth.docker("inspect", "-f", "{{.NetworkSettings.Networks.names.MacAddress}}", web).ok().trim())
                .isEqualTo("02:42:de:ad:be:ef");
        String out = berth.docker("run", "--rm", "--network", "names", "busybox", "sh", "-c",
                "cat /etc/resolv.conf; nslookup dnsweb; nslookup www; "
                        + "for i in $(seq 50); do wget -O- http://dnsweb/ 2>/dev/null && exit 0; sleep 0.1; done; exit 1")
                .ok();
        assertThat(out).contains("nameserver " + p + ".1").contains("Address: " + ip).endsWith("found-by-name\n");
        assertThat(out.split("Address: " + ip, -1)).as(out).hasSize(3);
        CliResult taken = berth.docker("run", "--rm", "--network", "names", "--ip", p + ".50", "busybox", "true");
        assertThat(taken.stderr()).contains("Address already in use");
        CliResult onDefault = berth.docker("run", "--rm", "--ip", "10.1.2.3", "busybox", "true");
        assertThat(onDefault.stderr()).contains("user specified IP address is supported on user defined networks only");
        CliResult unknown = berth.docker("run", "--rm", "--network", "names", "busybox", "nslookup", "nosuchcontainer");
        assertThat(unknown.out() + unknown.stderr()).doesNotContain("Address: " + p);
        berth.docker("rm", "-f", web).ok();
        berth.docker("network", "rm", "names").ok();
    }

    @Test
    void anUnknownNetworkIsRefusedAtCreate() throws Exception {
        CliResult run = berth.docker("run", "--rm", "--network", "nosuchnet", "busybox", "true");
        assertThat(run.exitCode()).isEqualTo(125);
        assertThat(run.stderr()).contains("network nosuchnet not found");
        assertThat(berth.docker("ps", "-aq").ok()).isEmpty();
    }
}
