package dev.berth.bus.contract.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RotationPolicyTest {
    @Test
    void sizesAreReadAsDockerReadsThem() {
        assertThat(RotationPolicy.of(Map.of("max-size", "10m", "max-file", "3"))).isEqualTo(new RotationPolicy(10L << 20, 3));
        assertThat(RotationPolicy.of(Map.of("max-size", "512k")).maxSize()).isEqualTo(512L << 10);
        assertThat(RotationPolicy.of(Map.of("max-size", "1.5g")).maxSize()).isEqualTo(3L << 29);
        assertThat(RotationPolicy.of(Map.of("max-size", "100")).maxSize()).isEqualTo(100);
        assertThat(RotationPolicy.of(Map.of("max-size", "2MiB")).maxSize()).isEqualTo(2L << 20);
        assertThat(RotationPolicy.of(Map.of("max-size", "-1")).rotates()).isFalse();
        assertThat(RotationPolicy.of(Map.of("labels", "a")).rotates()).isFalse();
        assertThat(RotationPolicy.of(null)).isEqualTo(RotationPolicy.NONE);
    }

    @Test
    void theLocalDriverRotatesByDefaultAsDockerdsDoes() {
        assertThat(RotationPolicy.of("local", null)).isEqualTo(new RotationPolicy(20L << 20, 5));
        assertThat(RotationPolicy.of("local", Map.of("max-file", "2"))).isEqualTo(new RotationPolicy(20L << 20, 2));
        assertThat(RotationPolicy.of("local", Map.of("max-size", "1m"))).isEqualTo(new RotationPolicy(1L << 20, 5));
        assertThat(RotationPolicy.of("json-file", null).rotates()).isFalse();
    }

    @Test
    void badValuesAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> RotationPolicy.of(Map.of("max-size", "ten"))).isInstanceOf(EngineException.class)
                .hasMessageContaining("invalid size: 'ten'");
        assertThatThrownBy(() -> RotationPolicy.of(Map.of("max-size", "0"))).hasMessageContaining("max-size must be a positive number");
        assertThatThrownBy(() -> RotationPolicy.of(Map.of("max-size", "1m", "max-file", "0")))
                .hasMessageContaining("max-file cannot be less than 1");
        assertThatThrownBy(() -> RotationPolicy.of(Map.of("max-file", "3"))).hasMessageContaining("max-file can only be set if max-size is set");
        assertThatThrownBy(() -> RotationPolicy.of(Map.of("max-size", "1m", "max-file", "x"))).hasMessageContaining("invalid value for max-file");
    }
}
