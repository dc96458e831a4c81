package dev.berth.exec.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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
        Files.createDirectories(file.getParent());
        try {
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=NORMAL");
                statement.execute("PRAGMA busy_timeout=5000");
                statement.execute("CREATE TABLE IF NOT EXISTS layout (version INTEGER NOT NULL)");
                statement.execute("CREATE TABLE IF NOT EXISTS volumes (name TEXT PRIMARY KEY, record TEXT NOT NULL)");
                try (ResultSet rs = statement.executeQuery("SELECT version FROM layout")) {
                    if (!rs.next()) {
                        statement.execute("INSERT INTO layout (version) VALUES (" + LAYOUT_VERSION + ")");
                    } else if (rs.getInt(1) > LAYOUT_VERSION) {
                        throw new IOException("volume store " + file + " has layout " + rs.getInt(1)
                                + ", newer than this berthd understands (" + LAYOUT_VERSION + ")");
                    }
                }
            }
            return new VolumeStore(connection);
        } catch (SQLException e) {
            throw new IOException("cannot open the volume store " + file + ": " + e.getMessage(), e);
        }
    }

    public synchronized List<String> loadAll() throws IOException {
        List<String> records = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT record FROM volumes")) {
            while (rs.next()) {
                records.add(rs.getString(1));
            }
            return records;
        } catch (SQLException e) {
            throw new IOException("cannot read volume records: " + e.getMessage(), e);
        }
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
