package dev.berth.exec.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.network.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFilesTest {
    @Test
    void loopbackNameServersAreDroppedAndFallbacksAdded() {
        String host = "# generated\nnameserver 127.0.0.53\noptions edns0\nsearch example.org\n";
        assertThat(HostFiles.containerResolvConf(host, List.of()))
                .isEqualTo("# generated\noptions edns0\nsearch example.org\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n");
        assertThat(HostFiles.containerResolvConf("nameserver 10.0.0.2\n", List.of())).isEqualTo("nameserver 10.0.0.2\n");
        assertThat(HostFiles.containerResolvConf("nameserver 10.0.0.2\n", List.of("1.1.1.1"))).isEqualTo("nameserver 1.1.1.1\n");
    }

    @Test
    void writesTheThreeFiles(@TempDir Path dir) throws Exception {
        HostFiles.write(dir, "abc123", false, List.of(), List.of("10.199.0.2"));
        assertThat(Files.readString(dir.resolve("hostname"))).isEqualTo("abc123\n");
        assertThat(Files.readString(dir.resolve("hosts"))).startsWith("127.0.0.1\tlocalhost\n").endsWith("\n10.199.0.2\tabc123\n");
        assertThat(Files.readString(dir.resolve("resolv.conf"))).contains("nameserver");
    }

    @Test
    void searchOptionsAndExtraHostsReplaceOrJoinTheHostsOwn(@TempDir Path dir) throws Exception {
        String host = "search example.org\noptions edns0\nnameserver 10.0.0.2\n";
        assertThat(HostFiles.containerResolvConf(host, List.of(), List.of("a.test", "b.test"), List.of("ndots:2")))
                .isEqualTo("nameserver 10.0.0.2\nsearch a.test b.test\noptions ndots:2\n");
        assertThat(HostFiles.containerResolvConf(host, List.of(), List.of("."), List.of()))
                .isEqualTo("options edns0\nnameserver 10.0.0.2\n");
        HostFiles.write(dir, new HostFiles.Content("abc", false, List.of(), List.of(), List.of(), List.of("10.1.2.3"),
                List.of("db:10.9.9.9")));
        assertThat(Files.readString(dir.resolve("hosts"))).endsWith("ff02::2\tip6-allrouters\n10.9.9.9\tdb\n10.1.2.3\tabc\n");
    }

    @Test
    void aNetworkChangeRewritesTheOwnEntriesInPlaceForTheBoundFiles(@TempDir Path dir) throws Exception {
        HostFiles.write(dir, new HostFiles.Content("abc", false, List.of("10.0.0.53"), List.of(), List.of(), List.of("10.1.2.3"),
                List.of("db:10.9.9.9")));
        Object hostsInode = Files.getAttribute(dir.resolve("hosts"), "unix:ino");
        Object resolvInode = Files.getAttribute(dir.resolve("resolv.conf"), "unix:ino");

        HostFiles.rewriteForNetworks(dir, "abc", List.of("10.1.2.3"), List.of("10.1.2.3", "10.7.0.5"), List.of("10.7.0.1"),
                List.of(), List.of());
        assertThat(Files.readString(dir.resolve("hosts"))).endsWith("10.9.9.9\tdb\n10.1.2.3\tabc\n10.7.0.5\tabc\n");
        assertThat(Files.readString(dir.resolve("resolv.conf"))).contains("nameserver 10.7.0.1\n").doesNotContain("10.0.0.53");

        HostFiles.rewriteForNetworks(dir, "abc", List.of("10.1.2.3", "10.7.0.5"), List.of("10.7.0.5"), List.of("10.0.0.53"),
                List.of(), List.of());
        String hosts = Files.readString(dir.resolve("hosts"));
        assertThat(hosts).startsWith("127.0.0.1\tlocalhost\n").endsWith("10.9.9.9\tdb\n10.7.0.5\tabc\n").doesNotContain("10.1.2.3");
        assertThat(Files.getAttribute(dir.resolve("hosts"), "unix:ino")).isEqualTo(hostsInode);
        assertThat(Files.getAttribute(dir.resolve("resolv.conf"), "unix:ino")).isEqualTo(resolvInode);
    }

    @Test
    void extraHostsAreCheckedAndHostGatewayIsTheNetworksGateway() {
        ExtraHosts.check(List.of("a:1.2.3.4", "b=10.0.0.1", "c:host-gateway", "d:[::1]"));
        for (String bad : new String[] {"nocolon", "a:", ":1.2.3.4", "a:1.2.3", "a:300.1.1.1", "bad name:1.2.3.4"}) {
            assertThatThrownBy(() -> ExtraHosts.check(List.of(bad))).as(bad)
                    .isInstanceOf(EngineException.class);
        }
        Endpoint endpoint = new Endpoint("n", "bridge", "e",
                "10.1.2.3", 24, "10.1.2.1", "02:42:0a:01:02:03", List.of(), List.of());
        assertThat(ExtraHosts.resolve(List.of("gw:host-gateway", "x=1.2.3.4"), false, List.of(endpoint)))
                .containsExactly("gw:10.1.2.1", "x:1.2.3.4");
        assertThat(ExtraHosts.resolve(List.of("gw:host-gateway"), true, List.of())).containsExactly("gw:127.0.0.1");
    }
}
