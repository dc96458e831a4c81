package dev.berth.exec.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContainerRegistryTest {
    static Container container(String id, String name) {
        return new Container(id, name, Instant.now(), "sha256:img", Configs.config("{\"Image\":\"busybox\"}"), null,
                null, id.substring(0, 12), Path.of("/state", id), Path.of("/state", id, "container.log"));
    }

    @Test
    void findsByIdNamePrefixAndSlash() {
        ContainerRegistry registry = new ContainerRegistry();
        Container a = container("abc" + "0".repeat(61), "alpha");
        Container b = container("abd" + "1".repeat(61), "beta");
        registry.add(a);
        registry.add(b);
        assertThat(registry.resolve(a.id())).isSameAs(a);
        assertThat(registry.resolve("alpha")).isSameAs(a);
        assertThat(registry.resolve("/beta")).isSameAs(b);
        assertThat(registry.resolve("abd")).isSameAs(b);
        assertThatThrownBy(() -> registry.resolve("ab")).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        assertThatThrownBy(() -> registry.resolve("gamma")).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(e.getMessage()).isEqualTo("No such container: gamma");
        });
    }

    @Test
    void namesAreUnique() {
        ContainerRegistry registry = new ContainerRegistry();
        registry.add(container("a".repeat(64), "web"));
        assertThatThrownBy(() -> registry.reserveName("web", "b".repeat(64))).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
            assertThat(e.getMessage()).contains("The container name \"/web\" is already in use by container \"" + "a".repeat(64));
        });
    }

    @Test
    void idsAreRandomHexAndNeverLookNumeric() {
        for (int i = 0; i < 200; i++) {
            String id = Names.newId();
            assertThat(id).matches("[0-9a-f]{64}");
            assertThat(id.substring(0, 12)).doesNotMatch("[0-9]+");
        }
    }

    @Test
    void nameRules() {
        assertThat(Names.validate("/web.1_a-b")).isEqualTo("web.1_a-b");
        assertThatThrownBy(() -> Names.validate("a")).isInstanceOf(EngineException.class);
        assertThatThrownBy(() -> Names.validate("-web")).isInstanceOf(EngineException.class);
        assertThatThrownBy(() -> Names.validate("we b")).hasMessageContaining("Invalid container name (we b)");
        assertThat(Names.random(0)).matches("[a-z]+_[a-z]+");
    }
}
