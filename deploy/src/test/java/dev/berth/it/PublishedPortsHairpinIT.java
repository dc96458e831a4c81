package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A published port reached from containers through the host's addresses: from another container
 * on the bridge, and from the very container that publishes it (hairpin NAT), which needs the
 * bridge to send the DNATed frame back out of the port it came in on.
 */
class PublishedPortsHairpinIT {
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

    /** The host's address on the interface of its default route (eth0's here), not the bridge's. */
    private static String hostAddress() throws Exception {
        String[] route = BerthDaemon.host("ip", "-4", "route", "show", "default").trim().split("\\s+");
        for (int i = 0; i + 1 < route.length; i++) {
            if (route[i].equals("dev")) {
                String addr = BerthDaemon.host("ip", "-4", "-o", "addr", "show", "dev", route[i + 1]).trim().split("\\s+")[3];
                return addr.substring(0, addr.indexOf('/'));
            }
        }
        throw new AssertionError("no default route on this host");
    }

    private static String gateway() {
        return berth.bip().substring(0, berth.bip().indexOf('/'));
    }

    /**
     * A shell line that GETs a URL with a deadline on each try: a hairpin that does not work
     * leaves the connection hanging, not refused. httpd binds a moment after its container starts.
     */
    private static String fetch(String url) {
        return "for i in $(seq 30); do timeout 5 wget -qO- " + url + " 2>/dev/null && exit 0; sleep 0.2; done; exit 1";
    }

    private static String natRulesOf(String containerId) throws Exception {
        return BerthDaemon.host("iptables-save", "-t", "nat").lines()
                .filter(l -> l.contains(containerId.substring(0, 12))).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void aPublishedPortAnswersOtherContainersAndItsOwnThroughTheHostsAddresses() throws Exception {
        int port = freePort();
        String id = BridgeNetworkIT.httpd(berth, "hairpin", "-p", port + ":80");
        String host = hostAddress();

        for (String address : new String[] {host, gateway()}) {
            String url = "http://" + address + ":" + port + "/";
            assertThat(berth.docker("run", "--rm", "busybox", "sh", "-c", fetch(url)).ok()).as("another container, " + url)
                    .isEqualTo("hairpin\n");
            assertThat(berth.docker("exec", id, "sh", "-c", fetch(url)).ok()).as("the publishing container, " + url)
                    .isEqualTo("hairpin\n");
        }
        // Only a container with published ports reflects frames back to itself.
        String plain = berth.docker("run", "-d", "busybox", "sleep", "60").ok().trim();
        assertThat(BerthDaemon.host("cat", "/sys/class/net/vb" + id.substring(0, 12) + "/brport/hairpin_mode").trim()).isEqualTo("1");
        assertThat(BerthDaemon.host("cat", "/sys/class/net/vb" + plain.substring(0, 12) + "/brport/hairpin_mode").trim()).isEqualTo("0");

        assertThat(natRulesOf(id)).contains("--dport " + port);
        berth.docker("rm", "-f", id, plain).ok();
        assertThat(natRulesOf(id)).isEmpty();
        assertThat(BerthDaemon.host("iptables-save", "-t", "nat").lines()
                .filter(l -> l.startsWith("-A BERTH-" + berth.bridge() + " "))).isEmpty();
        org.awaitility.Awaitility.await().atMost(BerthDaemon.VETH_DELETION).untilAsserted(() -> assertThat(Path.of("/sys/class/net", "vb" + id.substring(0, 12))).doesNotExist());
    }

    @Test
    void theHostsAddressReachesTheContainerAsItselfAndLoopbackAsTheGateway() throws Exception {
        int port = freePort();
        // httpd keeps a connection that has sent nothing open while it waits for the request.
        String id = BridgeNetworkIT.httpd(berth, "source", "-p", port + ":80");
        String host = hostAddress();
        try (java.net.Socket fromHost = connect(host, port); java.net.Socket fromLoopback = connect("127.0.0.1", port)) {
            String connections = berth.docker("exec", id, "netstat", "-tn").ok();
            // Only 127.0.0.1, which the container could not answer, is masqueraded to the gateway.
            // (httpd listens on ::, so netstat shows IPv4-mapped addresses.)
            assertThat(connections).as(connections).containsPattern("[ :]" + java.util.regex.Pattern.quote(host + ":" + fromHost.getLocalPort()) + " ")
                    .containsPattern("[ :]" + java.util.regex.Pattern.quote(gateway()) + ":\\d+ +ESTABLISHED");
        } finally {
            berth.docker("rm", "-f", id).ok();
        }
        assertThat(natRulesOf(id)).isEmpty();
    }

    /** Connects once httpd listens: until then the DNATed SYN is refused by the container. */
    private static java.net.Socket connect(String address, int port) throws Exception {
        for (int attempt = 0; ; attempt++) {
            java.net.Socket socket = new java.net.Socket();
            try {
                socket.connect(new java.net.InetSocketAddress(address, port), 5000);
                return socket;
            } catch (java.net.ConnectException e) {
                socket.close();
                if (attempt == 50) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
