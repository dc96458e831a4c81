package dev.berth.net.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.network.NetworkView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each filter of GET /networks, with dockerd's meaning and messages. */
class NetworkFilterTest {
    private static final NetworkView BRIDGE = network("1a2b3c", "bridge", "bridge", Map.of());
    private static final NetworkView HOST = network("4d5e6f", "host", "host", Map.of());
    private static final NetworkView BACKEND = network("7a8b9c", "backend", "bridge",
            Map.of("team", "a", "com.example.env", "prod", "empty", ""));

    private static NetworkView network(String id, String name, String driver, Map<String, String> labels) {
        return new NetworkView(id.repeat(8) + "0".repeat(16), name, driver, "local", "2026-12-01T22:00:00Z", false, false,
                List.of(), Map.of(), labels);
    }

    private static NetworkFilter filter(String key, String... values) {
        return NetworkFilter.of(Map.of(key, List.of(values)));
    }

    /** Which of bridge (predefined), host (predefined) and backend (custom, no containers) pass. */
    private static List<String> passing(NetworkFilter filter) {
        return List.of(BRIDGE, HOST, BACKEND).stream()
                .filter(n -> filter.matches(n, PredefinedNetworks.isPredefined(n.name()), false))
                .map(NetworkView::name).toList();
    }

    private static void refused(Map<String, List<String>> filters, String message) {
        assertThatThrownBy(() -> NetworkFilter.of(filters)).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void noFiltersOrKeysWithoutValuesFilterNothing() {
        assertThat(passing(NetworkFilter.of(null))).containsExactly("bridge", "host", "backend");
        assertThat(passing(NetworkFilter.of(Map.of()))).containsExactly("bridge", "host", "backend");
        assertThat(passing(filter("label"))).containsExactly("bridge", "host", "backend");
        java.util.HashMap<String, List<String>> nullValues = new java.util.HashMap<>();
        nullValues.put("name", null);
        assertThat(passing(NetworkFilter.of(nullValues))).containsExactly("bridge", "host", "backend");
    }

    @Test
    void anUnknownKeyIsRefusedInDockerdsWords() {
        refused(Map.of("bogus", List.of("1")), "invalid filter 'bogus'");
        // label! is a prune filter, not a list filter, in dockerd too.
        refused(Map.of("label!", List.of("a")), "invalid filter 'label!'");
        refused(Map.of("name", List.of("x"), "Name", List.of("x")), "invalid filter 'Name'");
    }

    @Test
    void labelNeedsEveryKeyOrKeyValueGiven() {
        assertThat(passing(filter("label", "team"))).containsExactly("backend");
        assertThat(passing(filter("label", "team=a"))).containsExactly("backend");
        assertThat(passing(filter("label", "team=b"))).isEmpty();
        assertThat(passing(filter("label", "team=a", "com.example.env=prod"))).containsExactly("backend");
        assertThat(passing(filter("label", "team=a", "missing"))).isEmpty();
        assertThat(passing(filter("label", "empty="))).containsExactly("backend");
        assertThat(passing(filter("label", "empty=x"))).isEmpty();
        assertThat(passing(filter("label", "nobody"))).as("networks without labels never match").isEmpty();
    }

    @Test
    void nameIsExactOrARegularExpressionFoundAnywhere() {
        assertThat(passing(filter("name", "host"))).containsExactly("host");
        assertThat(passing(filter("name", "ck"))).containsExactly("backend");
        assertThat(passing(filter("name", "^b"))).containsExactly("bridge", "backend");
        assertThat(passing(filter("name", "host", "none"))).containsExactly("host");
        assertThat(passing(filter("name", "nothing"))).isEmpty();
        assertThat(passing(filter("name", "[broken"))).as("a broken expression matches nothing").isEmpty();
    }

    @Test
    void idIsExactOrARegularExpressionFoundAnywhere() {
        assertThat(passing(filter("id", BRIDGE.id()))).containsExactly("bridge");
        assertThat(passing(filter("id", "4d5e"))).containsExactly("host");
        assertThat(passing(filter("id", "b9c7a"))).as("not only a prefix, as in dockerd").containsExactly("backend");
        assertThat(passing(filter("id", "ffff"))).isEmpty();
    }

    @Test
    void driverAndScopeAreExact() {
        assertThat(passing(filter("driver", "bridge"))).containsExactly("bridge", "backend");
        assertThat(passing(filter("driver", "host", "null"))).containsExactly("host");
        assertThat(passing(filter("driver", "bri"))).isEmpty();
        assertThat(passing(filter("scope", "local"))).containsExactly("bridge", "host", "backend");
        assertThat(passing(filter("scope", "swarm"))).isEmpty();
    }

    @Test
    void typeIsBuiltinOrCustom() {
        assertThat(passing(filter("type", "builtin"))).containsExactly("bridge", "host");
        assertThat(passing(filter("type", "custom"))).containsExactly("backend");
        assertThat(passing(filter("type", "custom", "builtin"))).containsExactly("bridge", "host", "backend");
        refused(Map.of("type", List.of("builtin", "other")), "invalid filter: 'type'='other'");
    }

    @Test
    void danglingIsOneTruthValueAndKeepsPredefinedAndUsedNetworks() {
        assertThat(passing(filter("dangling", "true"))).containsExactly("backend");
        assertThat(passing(filter("dangling", "1"))).containsExactly("backend");
        assertThat(passing(filter("dangling", "false"))).containsExactly("bridge", "host");
        assertThat(passing(filter("dangling", "0"))).containsExactly("bridge", "host");
        assertThat(filter("dangling", "true").matches(BACKEND, false, true)).as("a network with containers is not dangling").isFalse();
        assertThat(filter("dangling", "false").matches(BACKEND, false, true)).isTrue();
        assertThat(passing(filter("dangling", "true", "true"))).as("repeated values are one value").containsExactly("backend");
        refused(Map.of("dangling", List.of("true", "false")), "got more than one value for filter key \"dangling\"");
        refused(Map.of("dangling", List.of("yes")),
                "invalid value for filter 'dangling', must be \"true\" (or \"1\"), or \"false\" (or \"0\")");
    }

    @Test
    void keysAllHold() {
        assertThat(passing(NetworkFilter.of(Map.of("driver", List.of("bridge"), "type", List.of("builtin"))))).containsExactly("bridge");
        assertThat(passing(NetworkFilter.of(Map.of("name", List.of("host"), "label", List.of("team"))))).isEmpty();
    }
}
