package dev.berth.exec.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerStoreTest {
    @Test
    void recordsSurviveReopeningAndNamesStayUnique(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("containers.db");
        try (ContainerStore store = ContainerStore.open(file)) {
            store.insert("id1", "web", new JsonObject().put("v", 1));
            store.insert("id2", "db", new JsonObject().put("v", 2));
            assertThatThrownBy(() -> store.insert("id3", "web", new JsonObject())).isInstanceOf(EngineException.class)
                    .hasMessageContaining("\"/web\" is already in use");
            store.update("id1", "web2", new JsonObject().put("v", 10));
            store.delete("id2");
        }
        try (ContainerStore store = ContainerStore.open(file)) {
            assertThat(store.loadAll()).containsExactly(new JsonObject().put("v", 10));
            store.insert("id4", "web", new JsonObject());
        }
    }
}
