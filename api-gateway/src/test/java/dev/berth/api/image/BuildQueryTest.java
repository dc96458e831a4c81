package dev.berth.api.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.image.BuildImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildQueryTest {
    /** What CLI 28.2.2 sends for a plain `docker build -t x .`. */
    private static Map<String, String> cliDefaults() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("t", "x");
        query.put("rm", "1");
        query.put("cpusetcpus", "");
        query.put("cpushares", "0");
        query.put("memory", "0");
        query.put("memswap", "0");
        query.put("shmsize", "0");
        query.put("networkmode", "default");
        query.put("ulimits", "null");
        query.put("buildargs", "{}");
        query.put("labels", "{}");
        query.put("cachefrom", "null");
        query.put("dockerfile", "");
        query.put("target", "");
        query.put("version", "1");
        return query;
    }

    private static BuildImage parse(Map<String, String> query) {
        return BuildQuery.parse(query::get, List.of(query.getOrDefault("t", "")), query.keySet(), Map.of());
    }

    @Test
    void theCliDefaultsAreAccepted() {
        BuildImage args = parse(cliDefaults());
        assertThat(args.dockerfile()).isEqualTo("Dockerfile");
        assertThat(args.tags()).containsExactly("x");
        assertThat(args.quiet()).isFalse();
    }

    @Test
    void buildArgsLabelsAndQuietAreRead() {
        Map<String, String> query = cliDefaults();
        query.put("buildargs", "{\"A\":\"1\",\"UNSET\":null}");
        query.put("labels", "{\"k\":\"v\"}");
        query.put("q", "1");
        query.put("dockerfile", "sub/Dockerfile");
        BuildImage args = parse(query);
        assertThat(args.buildArgs()).isEqualTo(Map.of("A", "1"));
        assertThat(args.labels()).isEqualTo(Map.of("k", "v"));
        assertThat(args.quiet()).isTrue();
        assertThat(args.dockerfile()).isEqualTo("sub/Dockerfile");
        assertThat(args.noCache()).isFalse();
    }

    @Test
    void noCacheAndTargetAreRead() {
        Map<String, String> query = cliDefaults();
        query.put("nocache", "1");
        query.put("target", "builder");
        assertThat(parse(query).noCache()).isTrue();
        assertThat(parse(query).target()).isEqualTo("builder");
        assertThat(parse(cliDefaults()).target()).isNull();
    }

    @Test
    void anOptionNotActedOnIsRefusedByName() {
        Map<String, String> query = cliDefaults();
        query.put("memory", "67108864");
        query.put("cpushares", "512");
        assertThatThrownBy(() -> parse(query)).isInstanceOf(EngineException.class)
                .hasMessageContaining("memory").hasMessageContaining("cpushares");
        Map<String, String> keep = cliDefaults();
        keep.put("rm", "0");
        assertThatThrownBy(() -> parse(keep)).hasMessageContaining("rm");
        Map<String, String> buildkit = cliDefaults();
        buildkit.put("version", "2");
        assertThatThrownBy(() -> parse(buildkit)).hasMessageContaining("version");
    }

    @Test
    void badJsonIsRefused() {
        Map<String, String> query = cliDefaults();
        query.put("buildargs", "{not json");
        assertThatThrownBy(() -> parse(query)).isInstanceOf(EngineException.class).hasMessageContaining("buildargs");
    }
}
