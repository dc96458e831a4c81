package dev.berth.api.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiltersParamTest {
    @Test
    void absentEmptyOrNullMeansNoFilters() {
        assertThat(FiltersParam.parse(null)).isEmpty();
        assertThat(FiltersParam.parse("")).isEmpty();
        assertThat(FiltersParam.parse("null")).isEmpty();
        assertThat(FiltersParam.parse("{}")).isEmpty();
    }

    @Test
    void theCliSetForm() {
        assertThat(FiltersParam.parse("{\"label\":{\"a=b\":true,\"c\":true},\"name\":{\"host\":true}}"))
                .isEqualTo(Map.of("label", List.of("a=b", "c"), "name", List.of("host")));
        assertThat(FiltersParam.parse("{\"label\":{\"a\":false}}")).as("dockerd counts a value whatever its boolean")
                .isEqualTo(Map.of("label", List.of("a")));
    }

    @Test
    void theListFormOfDockerJavaAndDockerPy() {
        assertThat(FiltersParam.parse("{\"label\":[\"a=b\",\"c\"],\"driver\":[]}"))
                .isEqualTo(Map.of("label", List.of("a=b", "c"), "driver", List.of()));
        assertThat(FiltersParam.parse("{\"label\":null}")).isEqualTo(Map.of("label", List.of()));
    }

    @Test
    void anythingElseIsABadRequest() {
        for (String bad : new String[] {"label=x", "{", "[\"label\"]", "\"label\"", "{\"label\":\"x\"}", "{\"label\":[1]}",
                "{\"label\":[[\"a\"]]}", "{\"label\":{\"a\":\"yes\"}}", "{\"label\":true}", " "}) {
            assertThatThrownBy(() -> FiltersParam.parse(bad)).as(bad).isInstanceOfSatisfying(EngineException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
                assertThat(e.getMessage()).startsWith("invalid filter");
            });
        }
    }
}
