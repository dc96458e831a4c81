package dev.berth.exec.container;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PruneFilterTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    @Test
    void onlyKnownKeysAndOneUntil() {
        assertThatThrownBy(() -> new PruneFilter(Map.of("status", List.of("exited")), NOW)).hasMessage("invalid filter 'status'");
        assertThatThrownBy(() -> new PruneFilter(Map.of("until", List.of("1h", "2h")), NOW))
                .hasMessage("more than one until filter specified");
        new PruneFilter(Map.of("until", List.of("24h"), "label", List.of("a"), "label!", List.of("b=c")), NOW);
    }
}
