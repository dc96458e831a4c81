package dev.berth.api.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryValuesTest {
    @Test
    void dockersBooleans() {
        for (String no : new String[] {"", "0", "no", "false", "FALSE", "none"}) {
            assertThat(QueryValues.bool(no, true)).as(no).isFalse();
        }
        for (String yes : new String[] {"1", "true", "yes", "anything"}) {
            assertThat(QueryValues.bool(yes, false)).as(yes).isTrue();
        }
        assertThat(QueryValues.bool(null, true)).isTrue();
    }

    @Test
    void filtersInBothClientShapes() {
        assertThat(FiltersParam.parse("{\"label\":{\"a=b\":true,\"c\":false}}").get("label"))
                .as("dockerd counts a value whatever its boolean").isEqualTo(List.of("a=b", "c"));
        assertThat(FiltersParam.parse("{\"label\":[\"a=b\",\"c\"]}").get("label")).isEqualTo(List.of("a=b", "c"));
        assertThat(FiltersParam.parse(null).isEmpty()).isTrue();
        assertThatThrownBy(() -> FiltersParam.parse("{nope")).isInstanceOf(EngineException.class).hasMessageContaining("invalid filter");
    }

    @Test
    void aFilterOfAnotherShapeIsRefusedNotDropped() {
        for (String bad : new String[] {"{\"label\":\"x\"}", "{\"label\":{\"a\":\"yes\"}}", "{\"label\":{\"a\":1}}",
                "{\"label\":[1,{}]}", "[]", "\"x\""}) {
            assertThatThrownBy(() -> FiltersParam.parse(bad)).as(bad).isInstanceOf(EngineException.class)
                    .hasMessageContaining("invalid filter");
        }
    }

    @Test
    void versionsCompareNumerically() {
        assertThat(ApiVersion.parse("1.9").compareTo(ApiVersion.parse("1.10"))).isNegative();
        assertThat(ApiVersion.parse("1.44").atLeast(1, 42)).isTrue();
        assertThat(ApiVersion.parse("1.41").below(1, 42)).isTrue();
        assertThatThrownBy(() -> ApiVersion.parse("1")).isInstanceOf(IllegalArgumentException.class);
    }
}
