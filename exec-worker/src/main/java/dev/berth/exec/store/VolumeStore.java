package dev.berth.exec.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Volume records in SQLite (WAL mode), beside the volumes' directories: one row per volume,
 * keyed by name, the record itself as JSON. A volume's row is written before its directory is
 * reported, and deleted only after its directory is gone.
 */
public final class VolumeStore implements Closeable {
    public static final int LAYOUT_VERSION = 1;

    private final Connection connection;

    private VolumeStore(Connection connection) {
        this.connection = connection;
    }

    public static VolumeStore open(Path file) throws IOException {
        return new VolumeStore(RecordDatabase.open(file, "volume", LAYOUT_VERSION,
                "CREATE TABLE IF NOT EXISTS volumes (name TEXT PRIMARY KEY, record TEXT NOT NULL)"));
    }

    public synchronized List<String> loadAll() throws IOException {
        return RecordDatabase.readColumn(connection, "SELECT record FROM volumes", "volume");
    }

    public synchronized void insert(String name, String record) throws IOException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO volumes (name, record) VALUES (?, ?)")) {
            insert.setString(1, name);
            insert.setString(2, record);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("cannot store volume " + name + ": " + e.getMessage(), e);
        }
    }

    public synchronized void delete(String name) throws IOException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM volumes WHERE name = ?")) {
            delete.setString(1, name);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("cannot delete volume " + name + ": " + e.getMessage(), e);
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
