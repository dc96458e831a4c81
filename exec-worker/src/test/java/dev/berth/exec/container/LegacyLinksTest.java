package dev.berth.exec.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LegacyLinksTest {
    @Test
    void variablesFollowDockerdsNamesAndOrder() {
        List<String> env = LegacyLinks.variables("my-db", "/web/my-db", "10.0.0.2", List.of("5432/tcp", "5432/udp"),
                List.of("PATH=/bin", "HOME=/root", "POSTGRES_DB=app"));
        assertThat(env).containsExactly(
                "MY_DB_PORT=tcp://10.0.0.2:5432",
                "MY_DB_PORT_5432_TCP=tcp://10.0.0.2:5432", "MY_DB_PORT_5432_TCP_ADDR=10.0.0.2",
                "MY_DB_PORT_5432_TCP_PORT=5432", "MY_DB_PORT_5432_TCP_PROTO=tcp",
                "MY_DB_PORT_5432_UDP=udp://10.0.0.2:5432", "MY_DB_PORT_5432_UDP_ADDR=10.0.0.2",
                "MY_DB_PORT_5432_UDP_PORT=5432", "MY_DB_PORT_5432_UDP_PROTO=udp",
                "MY_DB_NAME=/web/my-db",
                "MY_DB_ENV_POSTGRES_DB=app");
    }

    @Test
    void exposedPortsSortByNumberThenTcpFirst() {
        Map<String, Object> ports = new LinkedHashMap<>();
        ports.put("8080/udp", Map.of());
        ports.put("443/tcp", Map.of());
        ports.put("8080/tcp", Map.of());
        ports.put("80", Map.of());
        assertThat(LegacyLinks.exposed(ports)).containsExactly("80/tcp", "443/tcp", "8080/tcp", "8080/udp");
    }

    @Test
    void linksParseAsDockerdParsesThem() {
        assertThat(LegacyLinks.Link.parse("db:alias")).isEqualTo(new LegacyLinks.Link("db", "alias"));
        assertThat(LegacyLinks.Link.parse("/db")).isEqualTo(new LegacyLinks.Link("db", "db"));
        assertThatThrownBy(() -> LegacyLinks.Link.parse(":x")).hasMessageContaining("invalid link format");
    }

    @Test
    void linksAreForTheDefaultBridgeAndExistingContainers() {
        assertThatThrownBy(() -> LegacyLinks.check(List.of("db"), "host", ref -> null))
                .hasMessageContaining("host type networking can't be used with links");
        assertThatThrownBy(() -> LegacyLinks.check(List.of("db"), "mynet", ref -> null))
                .hasMessageContaining("outside the default bridge network");
        assertThatThrownBy(() -> LegacyLinks.check(List.of("ghost"), "", ref -> {
            throw EngineException.notFound("No such container: " + ref);
        })).isInstanceOf(EngineException.class).hasMessageContaining("could not get container for ghost: No such container: ghost");
    }
}
