package dev.berth.exec.store;

import dev.berth.bus.EngineException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Container records in SQLite (WAL mode): one row per container, its name unique, the record
 * itself as JSON. Every state change is written before it is reported, so a daemon that is
 * killed loses nothing it has answered.
 */
public final class ContainerStore implements Closeable {
    /** Bumped when the table layout changes; a newer layout is refused rather than misread. */
    public static final int LAYOUT_VERSION = 1;

    private final Connection connection;

    private ContainerStore(Connection connection) {
        this.connection = connection;
    }

    public static ContainerStore open(Path file) throws IOException {
        return new ContainerStore(RecordDatabase.open(file, "container", LAYOUT_VERSION,
                "CREATE TABLE IF NOT EXISTS containers ("
                        + "id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, record TEXT NOT NULL)"));
    }

    public synchronized List<String> loadAll() throws IOException {
        return RecordDatabase.readColumn(connection, "SELECT record FROM containers", "container");
    }

    /** Adds a record; a name already taken is a CONFLICT. */
    public synchronized void insert(String id, String name, String record) throws IOException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO containers (id, name, record) VALUES (?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, name);
            insert.setString(3, record);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("UNIQUE")) {
                throw EngineException.conflict("the container name \"/" + name + "\" is already in use");
            }
            throw new IOException("cannot store container " + id + ": " + e.getMessage(), e);
        }
    }

    public synchronized void update(String id, String name, String record) throws IOException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE containers SET name = ?, record = ? WHERE id = ?")) {
            update.setString(1, name);
            update.setString(2, record);
            update.setString(3, id);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("cannot store container " + id + ": " + e.getMessage(), e);
        }
    }

    public synchronized void delete(String id) throws IOException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM containers WHERE id = ?")) {
            delete.setString(1, id);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("cannot delete container " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }
}
