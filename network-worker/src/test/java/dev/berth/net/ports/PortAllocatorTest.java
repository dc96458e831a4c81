package dev.berth.net.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.container.HostConfig.PortBinding;
import dev.berth.bus.contract.network.PublishedPort;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Docker's port binding forms parsed, and host ports handed out once; the host's own sockets are a fake probe. */
class PortAllocatorTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    private final Set<Integer> busyOnTheHost = new HashSet<>();
    private final PortAllocator allocator = new PortAllocator((protocol, ip, port) -> !busyOnTheHost.contains(port));

    private static List<PortSpec> specs(String key, String hostIp, String hostPort) {
        return PortSpec.of(Map.of(key, List.of(new PortBinding(hostIp, hostPort))), false, List.of());
    }

    @Test
    void everyFormTheCliSends() {
        assertThat(specs("80/tcp", "", "8080")).containsExactly(new PortSpec("tcp", 80, "0.0.0.0", 8080, 8080));
        assertThat(specs("53/udp", "127.0.0.1", "5353")).containsExactly(new PortSpec("udp", 53, "127.0.0.1", 5353, 5353));
        assertThat(specs("80/tcp", "", "")).containsExactly(new PortSpec("tcp", 80, "0.0.0.0", 0, 0));
        assertThat(specs("80/tcp", null, "8000-8010")).containsExactly(new PortSpec("tcp", 80, "0.0.0.0", 8000, 8010));
        assertThat(PortSpec.of(Map.of("80/tcp", List.of()), true, List.of("80/tcp", "443/tcp")))
                .containsExactlyInAnyOrder(new PortSpec("tcp", 80, "0.0.0.0", 0, 0), new PortSpec("tcp", 443, "0.0.0.0", 0, 0));
        assertThat(PortSpec.of(Map.of(), false, List.of("80/tcp"))).isEmpty();
        for (String[] bad : new String[][] {{"80/sctp", "", "1"}, {"x/tcp", "", "1"}, {"80/tcp", "", "70000"},
                {"80/tcp", "", "9-8"}, {"80/tcp", "1.2.3", "1"}, {"80/tcp", "::1", "1"}, {"0/tcp", "", "1"}}) {
            assertThatThrownBy(() -> specs(bad[0], bad[1], bad[2])).as(String.join(" ", bad))
                    .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        }
    }

    @Test
    void aHostPortIsHeldByOneContainerUntilReleased() {
        List<PublishedPort> first = allocator.allocate(A, specs("80/tcp", "", "8080"));
        assertThat(first).containsExactly(new PublishedPort("tcp", 80, "0.0.0.0", 8080));
        assertThatThrownBy(() -> allocator.allocate(B, specs("80/tcp", "127.0.0.1", "8080")))
                .hasMessage("Bind for 127.0.0.1:8080 failed: port is already allocated");
        // Another protocol is another port.
        assertThat(allocator.allocate(B, specs("80/udp", "", "8080"))).hasSize(1);
        allocator.release(first);
        assertThat(allocator.allocate(B, specs("80/tcp", "127.0.0.1", "8080"))).hasSize(1);
        assertThatThrownBy(() -> allocator.allocate(A, specs("80/tcp", "", "8080"))).hasMessageContaining("port is already allocated");
    }

    @Test
    void aFailureReleasesWhatTheSameCallTook() {
        busyOnTheHost.add(9090);
        Map<String, List<PortBinding>> two = new java.util.TreeMap<>(Map.of("80/tcp", List.of(new PortBinding("", "8080")),
                "81/tcp", List.of(new PortBinding("", "9090"))));
        assertThatThrownBy(() -> allocator.allocate(A, PortSpec.of(two, false, List.of())))
                .hasMessage("Bind for 0.0.0.0:9090 failed: port is already allocated");
        assertThat(allocator.allocate(B, specs("80/tcp", "", "8080"))).hasSize(1);
    }

    @Test
    void rangesAndRandomPortsAvoidWhatIsTaken() {
        busyOnTheHost.add(8000);
        allocator.allocate(A, specs("80/tcp", "", "8001"));
        assertThat(allocator.allocate(B, specs("80/tcp", "", "8000-8002"))).extracting(PublishedPort::hostPort).containsExactly(8002);
        assertThatThrownBy(() -> allocator.allocate(B, specs("81/tcp", "", "8000-8002"))).hasMessageContaining("all ports are allocated");
        int random = allocator.allocate(A, specs("80/tcp", "", "")).get(0).hostPort();
        assertThat(random).isBetween(PortAllocator.EPHEMERAL_LOW, PortAllocator.EPHEMERAL_HIGH);
        int zero = allocator.allocate(B, specs("82/tcp", "", "0")).get(0).hostPort();
        assertThat(zero).isBetween(PortAllocator.EPHEMERAL_LOW, PortAllocator.EPHEMERAL_HIGH).isNotEqualTo(random);
        assertThatThrownBy(() -> specs("83/tcp", "", "0-5")).hasMessage("invalid port specification: \"0-5\"");
    }
}
