package dev.berth.bus.contract.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.container.HostConfig.LogConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogDriverConfigTest {
    private static final LogConfig DAEMON = new LogConfig("json-file", Map.of("max-size", "10m", "max-file", "3"));

    @Test
    void theDaemonsDriverAndOptionsFillWhatTheContainerLeavesUnset() {
        assertThat(LogDriverConfig.withDefaults(null, DAEMON)).isEqualTo(DAEMON);
        assertThat(LogDriverConfig.withDefaults(new LogConfig("", Map.of("max-file", "2")), DAEMON))
                .isEqualTo(new LogConfig("json-file", Map.of("max-size", "10m", "max-file", "2")));
        assertThat(LogDriverConfig.withDefaults(new LogConfig("json-file", null), DAEMON)).isEqualTo(DAEMON);
    }

    @Test
    void anotherDriverKeepsItsOwnOptionsOnlyAndNoDefaultChangesNothing() {
        assertThat(LogDriverConfig.withDefaults(new LogConfig("local", Map.of("max-size", "1m")), DAEMON))
                .isEqualTo(new LogConfig("local", Map.of("max-size", "1m")));
        LogConfig asked = new LogConfig("", null);
        assertThat(LogDriverConfig.withDefaults(asked, null)).isSameAs(asked);
    }

    @Test
    void compressFalseIsHonouredAndCompressTrueRefusedByName() {
        LogDriverConfig.checkValues("local", Map.of("compress", "false"));
        assertThatThrownBy(() -> LogDriverConfig.checkValues("local", Map.of("compress", "true")))
                .isInstanceOf(EngineException.class).hasMessageContaining("compress=true");
        assertThatThrownBy(() -> LogDriverConfig.checkValues("json-file", Map.of("compress", "maybe")))
                .hasMessageContaining("invalid boolean value for compress: maybe");
        assertThatThrownBy(() -> LogDriverConfig.checkValues("json-file", Map.of("max-file", "0")))
                .hasMessageContaining("max-file");
    }
}
