package dev.berth.exec.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerStoreTest {
    @Test
    void recordsSurviveReopeningAndNamesStayUnique(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("containers.db");
        try (ContainerStore store = ContainerStore.open(file)) {
            store.insert("id1", "web", "{\"v\":1}");
            store.insert("id2", "db", "{\"v\":2}");
            assertThatThrownBy(() -> store.insert("id3", "web", "{}")).isInstanceOf(EngineException.class)
                    .hasMessageContaining("\"/web\" is already in use");
            store.update("id1", "web2", "{\"v\":10}");
            store.delete("id2");
        }
        try (ContainerStore store = ContainerStore.open(file)) {
            assertThat(store.loadAll()).containsExactly("{\"v\":10}");
            store.insert("id4", "web", "{}");
        }
    }
}
