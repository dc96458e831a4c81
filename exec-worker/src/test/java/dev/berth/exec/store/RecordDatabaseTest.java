package dev.berth.exec.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordDatabaseTest {
    @TempDir
    Path temp;

    @Test
    void volumeRecordsSurviveReopening() throws Exception {
        Path file = temp.resolve("sub/volumes.db");
        try (VolumeStore store = VolumeStore.open(file)) {
            store.insert("data", "{\"Name\":\"data\"}");
        }
        try (VolumeStore store = VolumeStore.open(file)) {
            assertThat(store.loadAll()).containsExactly("{\"Name\":\"data\"}");
        }
    }

    @Test
    void aFileFromANewerBerthdIsRefused() throws Exception {
        Path file = temp.resolve("containers.db");
        try (Connection connection = RecordDatabase.open(file, "container", 1, "CREATE TABLE IF NOT EXISTS t (x TEXT)");
             Statement statement = connection.createStatement()) {
            statement.execute("UPDATE layout SET version = 7");
        }
        assertThatThrownBy(() -> ContainerStore.open(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("has layout 7, newer than this berthd understands (1)");
    }
}
