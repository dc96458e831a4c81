package dev.berth.graph.build;

import dev.berth.bus.contract.image.BuildCacheRecord;
import dev.berth.bus.contract.image.BuildCacheUsage;
import dev.berth.bus.contract.image.PrunedBuildCache;
import dev.berth.graph.content.Digest;
import dev.berth.graph.db.GraphDatabase;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The classic builder's cache: which image a step made from a parent image. A step is named by
 * the digest of its key, a text that holds everything the step's result depends on besides its
 * parent (the instruction as expanded, the build args a RUN sees, the content of the files a COPY
 * takes). Rows live in the graph database beside the images, so the cache outlives the daemon; an
 * image's rows go when it is deleted, and a row whose image is gone is never answered.
 */
public final class BuildCache {
    private final GraphDatabase db;

    public BuildCache(GraphDatabase db) {
        this.db = db;
    }

    /** The image a step with this key made from parent before, if it is still there; a hit counts as a use. */
    public Optional<String> find(String parent, String key) throws IOException {
        try {
            String step = stepDigest(key);
            List<String> found = db.query("SELECT c.image_id FROM build_cache c JOIN images i ON i.id = c.image_id"
                    + " WHERE c.parent = ? AND c.step = ?", row -> row.getString(1), hex(parent), step);
            if (!found.isEmpty()) {
                db.update("UPDATE build_cache SET last_used_at = ?, usage_count = usage_count + 1 WHERE parent = ? AND step = ?",
                        System.currentTimeMillis(), hex(parent), step);
            }
            return found.stream().findFirst().map(hex -> new Digest(hex).toString());
        } catch (SQLException e) {
            throw new IOException("build cache: " + e.getMessage(), e);
        }
    }

    /**
     * Records that the step with this key made image from parent; a later build of the same step
     * replaces it. description is the instruction as the build output showed it.
     */
    public void remember(String parent, String key, String image, String description) throws IOException {
        try {
            db.update("INSERT OR REPLACE INTO build_cache(parent, step, image_id, created_at, description, last_used_at,"
                    + " usage_count) VALUES(?,?,?,?,?,NULL,1)",
                    hex(parent), stepDigest(key), hex(image), System.currentTimeMillis(), description);
        } catch (SQLException e) {
            throw new IOException("build cache: " + e.getMessage(), e);
        }
    }

    /**
     * Every step held, for docker system df. A record's parents are the records that made its
     * parent image. Its size is 0 and it is shared: what a step made is an image (with its layer),
     * counted among the images and freed by removing them, never by pruning the cache; no record
     * is in use, since a build only looks a step up and then holds the image, not the record.
     */
    public BuildCacheUsage usage() throws IOException {
        try {
            List<Row> rows = db.query("SELECT c.parent, c.step, c.image_id, c.created_at, c.description, c.last_used_at,"
                    + " c.usage_count FROM build_cache c JOIN images i ON i.id = c.image_id ORDER BY c.created_at",
                    row -> new Row(row.getString(1), row.getString(2), row.getString(3), row.getLong(4), row.getString(5),
                            lastUsed(row), row.getLong(7)));
            Map<String, List<String>> madeImage = new HashMap<>();
            for (Row row : rows) {
                madeImage.computeIfAbsent(row.image(), image -> new ArrayList<>()).add(recordId(row.parent(), row.step()));
            }
            List<BuildCacheRecord> records = new ArrayList<>();
            for (Row row : rows) {
                records.add(new BuildCacheRecord(recordId(row.parent(), row.step()), madeImage.getOrDefault(row.parent(), List.of()),
                        "regular", row.description(), false, true, 0, row.createdAt(), row.lastUsedAt(), row.usageCount()));
            }
            return new BuildCacheUsage(records);
        } catch (SQLException e) {
            throw new IOException("build cache: " + e.getMessage(), e);
        }
    }

    private static Long lastUsed(ResultSet row) throws SQLException {
        long millis = row.getLong(6);
        return row.wasNull() ? null : millis;
    }

    private record Row(String parent, String step, String image, long createdAt, String description, Long lastUsedAt,
            long usageCount) {
    }

    /**
     * Forgets every step (docker builder prune); answers the records' ids. The images the steps
     * made stay: they are parents of what was built, and go with it.
     */
    public PrunedBuildCache prune() throws IOException {
        try {
            return db.inTransaction(tx -> {
                List<String> ids = tx.query("SELECT parent, step FROM build_cache ORDER BY created_at",
                        row -> recordId(row.getString(1), row.getString(2)));
                tx.update("DELETE FROM build_cache");
                return new PrunedBuildCache(ids, 0);
            });
        } catch (SQLException e) {
            throw new IOException("build cache: " + e.getMessage(), e);
        }
    }

    /** A record's id: its key is (parent, step), so one name for the pair, as long as BuildKit's ids. */
    static String recordId(String parentHex, String stepHex) {
        return Digest.of(parentHex + "/" + stepHex).hex().substring(0, 25);
    }

    private static String hex(String id) {
        return Digest.parseLenient(id).hex();
    }

    /** Keys can be long (a COPY of many files); the table holds their digest. */
    static String stepDigest(String key) {
        return Digest.of(key).hex();
    }
}
