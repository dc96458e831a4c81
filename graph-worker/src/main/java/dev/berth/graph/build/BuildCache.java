package dev.berth.graph.build;

import dev.berth.bus.contract.image.PrunedBuildCache;
import dev.berth.graph.content.Digest;
import dev.berth.graph.db.GraphDatabase;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
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

    /** The image a step with this key made from parent before, if it is still there. */
    public Optional<String> find(String parent, String key) throws IOException {
        try {
            List<String> found = db.query("SELECT c.image_id FROM build_cache c JOIN images i ON i.id = c.image_id"
                    + " WHERE c.parent = ? AND c.step = ?", row -> row.getString(1), hex(parent), stepDigest(key));
            return found.stream().findFirst().map(hex -> new Digest(hex).toString());
        } catch (SQLException e) {
            throw new IOException("build cache: " + e.getMessage(), e);
        }
    }

    /** Records that the step with this key made image from parent; a later build of the same step replaces it. */
    public void remember(String parent, String key, String image) throws IOException {
        try {
            db.update("INSERT OR REPLACE INTO build_cache(parent, step, image_id, created_at) VALUES(?,?,?,?)",
                    hex(parent), stepDigest(key), hex(image), System.currentTimeMillis());
        } catch (SQLException e) {
            throw new IOException("build cache: " + e.getMessage(), e);
        }
    }

    /**
     * Forgets every step (docker builder prune); answers the steps' ids. The images the steps
     * made stay: they are parents of what was built, and go with it.
     */
    public PrunedBuildCache prune() throws IOException {
        try {
            return db.inTransaction(tx -> {
                List<String> steps = tx.query("SELECT step FROM build_cache ORDER BY created_at", row -> row.getString(1));
                tx.update("DELETE FROM build_cache");
                return new PrunedBuildCache(steps, 0);
            });
        } catch (SQLException e) {
            throw new IOException("build cache: " + e.getMessage(), e);
        }
    }

    private static String hex(String id) {
        return Digest.parseLenient(id).hex();
    }

    /** Keys can be long (a COPY of many files); the table holds their digest. */
    static String stepDigest(String key) {
        return Digest.of(key).hex();
    }
}
