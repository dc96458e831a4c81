package dev.berth.exec.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.network.Endpoint;
import dev.berth.bus.contract.network.PublishedPort;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerFiltersTest {
    private final Container web = new Container("a".repeat(64), "web", Instant.parse("2026-01-01T00:00:00Z"), "sha256:1111",
            Configs.config("{\"Image\":\"busybox\",\"Labels\":{\"tier\":\"front\",\"flag\":\"\"},"
                    + "\"ExposedPorts\":{\"80/tcp\":{},\"53/udp\":{}}}"),
            null, null, "aaaa", Path.of("/s"), Path.of("/s/log"));
    private final Container db = new Container("b".repeat(64), "db", Instant.parse("2026-01-02T00:00:00Z"), "sha256:2222",
            Configs.config("{\"Image\":\"postgres\"}"), Configs.hostConfig("{\"NetworkMode\":\"host\"}"), null, "bbbb", Path.of("/s"), Path.of("/s/log"));

    private ContainerFilters filters(String key, String... values) {
        java.util.Map<String, java.util.List<String>> f = java.util.Map.of(key, java.util.List.of(values));
        return new ContainerFilters(f, ref -> ref.equals("busybox:latest") ? "sha256:1111" : null,
                ref -> ref.equals("web") ? web : ref.equals("db") ? db : null);
    }

    @Test
    void labelsNamesIdsAndStatus() {
        assertThat(filters("label", "tier=front").keeps(web)).isTrue();
        assertThat(filters("label", "tier=back").keeps(web)).isFalse();
        assertThat(filters("label", "flag").keeps(web)).isTrue();
        assertThat(filters("name", "^/we").keeps(web)).isTrue();
        assertThat(filters("name", "we").keeps(db)).isFalse();
        assertThat(filters("id", "aaa").keeps(web)).isTrue();
        assertThat(filters("status", "created").keeps(web)).isTrue();
        assertThat(filters("status", "running", "exited").keeps(web)).isFalse();
    }

    @Test
    void ancestorAndTimeOrder() {
        assertThat(filters("ancestor", "busybox").keeps(web)).isTrue();
        assertThat(filters("ancestor", "busybox:latest").keeps(web)).isTrue();
        assertThat(filters("ancestor", "busybox").keeps(db)).isFalse();
        assertThat(filters("before", "db").keeps(web)).isTrue();
        assertThat(filters("since", "web").keeps(db)).isTrue();
        assertThat(filters("since", "db").keeps(web)).isFalse();
    }

    @Test
    void unknownFiltersAndStatusesAreInvalid() {
        assertThatThrownBy(() -> filters("colour", "red")).isInstanceOf(EngineException.class).hasMessageContaining("invalid filter");
        assertThatThrownBy(() -> filters("status", "sleeping")).isInstanceOf(EngineException.class);
    }

    @Test
    void networksByName() {
        assertThat(filters("network", "bridge").keeps(web)).isTrue();
        assertThat(filters("network", "host").keeps(web)).isFalse();
        assertThat(filters("network", "host").keeps(db)).isTrue();
    }

    @Test
    void networksConnectedLaterCountAndDisconnectedOnesNoLonger() {
        java.util.Map<String, dev.berth.bus.contract.container.NetworkingConfig.EndpointSettings> networks = new java.util.LinkedHashMap<>();
        networks.put("front", null);
        web.chooseNetworks(networks);
        assertThat(filters("network", "front").keeps(web)).isTrue();
        assertThat(filters("network", "bridge").keeps(web)).as("disconnected").isFalse();
    }

    @Test
    void exposedPortsSingleRangesAndProtocols() {
        assertThat(filters("expose", "80").keeps(web)).isTrue();
        assertThat(filters("expose", "80/tcp").keeps(web)).isTrue();
        assertThat(filters("expose", "80/udp").keeps(web)).isFalse();
        assertThat(filters("expose", "50-60/udp").keeps(web)).isTrue();
        assertThat(filters("expose", "81-90").keeps(web)).isFalse();
        assertThat(filters("expose", "80").keeps(db)).isFalse();
        assertThatThrownBy(() -> filters("expose", "http")).hasMessage("invalid filter 'expose=http'");
    }

    @Test
    void publishedPortsMatchTheirHostPort() {
        assertThat(filters("publish", "80").keeps(web)).isFalse();
        web.attachedTo(List.of(new Endpoint("n", "bridge", "e", "10.1.2.3", 24, "10.1.2.1",
                "02:42:0a:01:02:03", List.of(new PublishedPort("tcp", 80, "0.0.0.0", 8080)), List.of())));
        assertThat(filters("publish", "8080").keeps(web)).isTrue();
        assertThat(filters("publish", "8000-8100/tcp").keeps(web)).isTrue();
        assertThat(filters("publish", "8080/udp").keeps(web)).isFalse();
        assertThat(filters("publish", "80").keeps(web)).isFalse();
    }

    /** What dockerd answers for containers without volumes, health checks or swarm tasks. */
    @Test
    void thingsBerthContainersCannotHaveYet() {
        assertThat(filters("volume", "data").keeps(web)).isFalse();
        assertThat(filters("health", "none").keeps(web)).isTrue();
        assertThat(filters("health", "healthy").keeps(web)).isFalse();
        assertThat(filters("is-task", "false").keeps(web)).isTrue();
        assertThat(filters("is-task", "true").keeps(web)).isFalse();
        assertThat(filters("isolation", "default").keeps(web)).isTrue();
        assertThatThrownBy(() -> filters("health", "fine")).hasMessage("invalid filter 'health=fine'");
        assertThatThrownBy(() -> filters("is-task", "maybe")).hasMessage("invalid filter 'is-task=maybe'");
    }

    @Test
    void healthFollowsTheContainersHealthState() {
        var check = new dev.berth.bus.contract.container.ContainerConfig.HealthConfig(java.util.List.of("CMD", "true"),
                null, null, null, null, 1);
        HealthState health = new HealthState(check, "run", 0, null);
        web.health(health);
        assertThat(filters("health", "starting").keeps(web)).isTrue();
        assertThat(filters("health", "none").keeps(web)).isFalse();
        health.claimProbe(Long.MAX_VALUE);
        health.record(new dev.berth.bus.contract.container.ContainerHealth.Probe("s", "e", 1, ""), 1, 2);
        assertThat(filters("health", "unhealthy").keeps(web)).isTrue();
        assertThat(filters("health", "healthy").keeps(web)).isFalse();
    }

    @Test
    void pruneTakesStoppedContainersByCreationTimeAndLabels() {
        assertThat(new PruneFilter(Map.of(), Instant.now()).removes(web)).as("created").isTrue();
        assertThat(new PruneFilter(Map.of("until", List.of("2025-12-31T00:00:00Z")), Instant.now()).removes(web)).isFalse();
        assertThat(new PruneFilter(Map.of("until", List.of("2026-01-02T00:00:00Z")), Instant.now()).removes(web)).isTrue();
    }

    @Test
    void exitedNeedsANumberAndAStoppedContainer() {
        assertThat(filters("exited", "0").keeps(web)).isFalse();
        assertThatThrownBy(() -> filters("exited", "zero")).hasMessage("invalid filter 'exited=zero'");
    }

    @Test
    void beforeAndSinceNameAContainerThatExists() {
        assertThatThrownBy(() -> filters("before", "ghost")).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.kind()).isEqualTo(dev.berth.bus.ErrorKind.NOT_FOUND));
        assertThat(filters("since", "web").includesStopped()).isTrue();
        assertThat(filters("status", "exited").includesStopped()).isTrue();
        assertThat(filters("label", "a").includesStopped()).isFalse();
    }
}
