package dev.berth.graph.db;

import java.io.IOException;
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
 * The graph worker's metadata in one SQLite file, in WAL mode: layers (by chain id), images,
 * references (tags and digests) and container snapshots. One connection, used by one thread at a
 * time: every statement is short, so serialising them costs nothing worth a pool.
 *
 * <p>Schema version {@value #SCHEMA_VERSION}; a database written by a newer version is refused
 * rather than guessed at.
 */
public final class GraphDatabase implements AutoCloseable {
    public static final int SCHEMA_VERSION = 1;

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS layers(chain_id TEXT PRIMARY KEY, diff_id TEXT NOT NULL, parent TEXT,"
                + " size INTEGER NOT NULL, created_at INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS images(id TEXT PRIMARY KEY, top_chain TEXT, size INTEGER NOT NULL,"
                + " loaded_at INTEGER NOT NULL, last_tag_time INTEGER NOT NULL DEFAULT 0, parent TEXT)",
        "CREATE TABLE IF NOT EXISTS refs(name TEXT PRIMARY KEY, image_id TEXT NOT NULL, kind TEXT NOT NULL,"
                + " created_at INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS refs_by_image ON refs(image_id)",
        "CREATE TABLE IF NOT EXISTS snapshots(id TEXT PRIMARY KEY, image_id TEXT NOT NULL, top_chain TEXT,"
                + " created_at INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS snapshots_by_image ON snapshots(image_id)",
        "CREATE TABLE IF NOT EXISTS blob_sources(diff_id TEXT NOT NULL, digest TEXT NOT NULL, size INTEGER NOT NULL,"
                + " registry TEXT NOT NULL, repository TEXT NOT NULL, PRIMARY KEY(diff_id, registry, repository, digest))",
        "CREATE TABLE IF NOT EXISTS build_cache(parent TEXT NOT NULL, step TEXT NOT NULL, image_id TEXT NOT NULL,"
                + " created_at INTEGER NOT NULL, description TEXT NOT NULL DEFAULT '', last_used_at INTEGER,"
                + " usage_count INTEGER NOT NULL DEFAULT 1, PRIMARY KEY(parent, step))",
        "CREATE INDEX IF NOT EXISTS build_cache_by_image ON build_cache(image_id)",
    };

    /**
     * Columns added to a table after schema version 1 shipped, each with a default: a database
     * written before them gains them when opened, and older rows read the default.
     */
    private static final String[][] ADDED_COLUMNS = {
        {"build_cache", "description", "TEXT NOT NULL DEFAULT ''"},
        {"build_cache", "last_used_at", "INTEGER"},
        {"build_cache", "usage_count", "INTEGER NOT NULL DEFAULT 1"},
    };

    /** Reads one row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** Work done inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(GraphDatabase db) throws SQLException, IOException;
    }

    private final Connection connection;

    private GraphDatabase(Connection connection) {
        this.connection = connection;
    }

    public static GraphDatabase open(Path file) throws IOException {
        try {
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=FULL");
                statement.execute("PRAGMA busy_timeout=10000");
                statement.execute("PRAGMA foreign_keys=ON");
                for (String ddl : SCHEMA) {
                    statement.execute(ddl);
                }
            }
            addMissingColumns(connection);
            GraphDatabase db = new GraphDatabase(connection);
            db.checkVersion();
            return db;
        } catch (SQLException e) {
            throw new IOException("cannot open the image database " + file + ": " + e.getMessage(), e);
        }
    }

    private static void addMissingColumns(Connection connection) throws SQLException {
        for (String[] column : ADDED_COLUMNS) {
            boolean present = false;
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("PRAGMA table_info(" + column[0] + ")")) {
                while (rows.next()) {
                    present |= rows.getString("name").equals(column[1]);
                }
            }
            if (!present) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ALTER TABLE " + column[0] + " ADD COLUMN " + column[1] + " " + column[2]);
                }
            }
        }
    }

    private void checkVersion() throws SQLException {
        List<String> found = query("SELECT value FROM meta WHERE key = 'schema_version'", row -> row.getString(1));
        if (found.isEmpty()) {
            update("INSERT INTO meta(key, value) VALUES('schema_version', ?)", Integer.toString(SCHEMA_VERSION));
        } else if (Integer.parseInt(found.get(0)) > SCHEMA_VERSION) {
            throw new SQLException("the image database has schema version " + found.get(0)
                    + ", newer than this berthd understands (" + SCHEMA_VERSION + ")");
        }
    }

    /** Records the on-disk layout version, or refuses one newer than the caller knows. */
    public void checkLayout(int layoutVersion) throws IOException {
        try {
            List<String> found = query("SELECT value FROM meta WHERE key = 'layout_version'", row -> row.getString(1));
            if (found.isEmpty()) {
                update("INSERT INTO meta(key, value) VALUES('layout_version', ?)", Integer.toString(layoutVersion));
            } else if (Integer.parseInt(found.get(0)) > layoutVersion) {
                throw new IOException("the image store has layout version " + found.get(0)
                        + ", newer than this berthd understands (" + layoutVersion + ")");
            }
        } catch (SQLException e) {
            throw new IOException("image database: " + e.getMessage(), e);
        }
    }

    public synchronized <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        try (PreparedStatement statement = prepare(sql, args); ResultSet rows = statement.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(mapper.map(rows));
            }
            return result;
        }
    }

    public synchronized int update(String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = prepare(sql, args)) {
            return statement.executeUpdate();
        }
    }

    /** Runs work atomically; statements it runs join the transaction. */
    public synchronized <T> T inTransaction(Work<T> work) throws SQLException, IOException {
        connection.setAutoCommit(false);
        boolean done = false;
        try {
            T result = work.run(this);
            connection.commit();
            done = true;
            return result;
        } finally {
            if (!done) {
                connection.rollback();
            }
            connection.setAutoCommit(true);
        }
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
        return statement;
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing at shutdown; nothing to do about it
        }
    }
}
