package dev.berth.exec.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContainerFiltersTest {
    private final Container web = new Container("a".repeat(64), "web", Instant.parse("2026-01-01T00:00:00Z"), "sha256:1111",
            Configs.config("{\"Image\":\"busybox\",\"Labels\":{\"tier\":\"front\",\"flag\":\"\"}}"),
            null, null, "aaaa", Path.of("/s"), Path.of("/s/log"));
    private final Container db = new Container("b".repeat(64), "db", Instant.parse("2026-01-02T00:00:00Z"), "sha256:2222",
            Configs.config("{\"Image\":\"postgres\"}"), null, null, "bbbb", Path.of("/s"), Path.of("/s/log"));

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
}
