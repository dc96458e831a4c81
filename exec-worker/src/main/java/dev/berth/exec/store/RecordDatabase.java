package dev.berth.exec.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQLite file that a store of JSON records lives in: WAL mode, so that a write is durable
 * before it is answered without a sync per statement, and a layout version, so that a berthd
 * refuses a file written by a newer one rather than misreading it.
 */
final class RecordDatabase {
    private RecordDatabase() {
    }

    /**
     * Opens (creating when absent) the database at {@code file} with the given table.
     *
     * @param what          what the store holds, for error messages ("container", "volume")
     * @param tableDdl      the CREATE TABLE IF NOT EXISTS statement of the store's table
     */
    static Connection open(Path file, String what, int layoutVersion, String tableDdl) throws IOException {
        Files.createDirectories(file.getParent());
        Connection connection = null;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=NORMAL");
                statement.execute("PRAGMA busy_timeout=5000");
                statement.execute("CREATE TABLE IF NOT EXISTS layout (version INTEGER NOT NULL)");
                statement.execute(tableDdl);
                try (ResultSet rs = statement.executeQuery("SELECT version FROM layout")) {
                    if (!rs.next()) {
                        statement.execute("INSERT INTO layout (version) VALUES (" + layoutVersion + ")");
                    } else if (rs.getInt(1) > layoutVersion) {
                        throw new IOException(what + " store " + file + " has layout " + rs.getInt(1)
                                + ", newer than this berthd understands (" + layoutVersion + ")");
                    }
                }
            }
            return connection;
        } catch (SQLException | IOException e) {
            closeQuietly(connection);
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot open the " + what + " store " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every value of the first column that {@code query} selects. */
    static List<String> readColumn(Connection connection, String query, String what) throws IOException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IOException("cannot read " + what + " records: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the open already failed; that failure is the one reported
        }
    }
}
