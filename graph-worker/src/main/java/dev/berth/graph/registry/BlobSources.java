package dev.berth.graph.registry;

import dev.berth.graph.content.Digest;
import dev.berth.graph.db.GraphDatabase;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/**
 * Which compressed blob in which registry repository holds a layer: written by pulls and pushes,
 * read by pushes, so that a layer a registry already has is skipped (HEAD) or mounted from
 * another repository of the same registry instead of being compressed and sent again. dockerd
 * keeps the same facts ("v2 metadata"). Only hints: every one is checked with the registry.
 */
public final class BlobSources {
    /** A compressed blob of a layer, in a repository of a registry. */
    public record Source(Digest digest, long size, String registry, String repository) {
    }

    private final GraphDatabase db;

    public BlobSources(GraphDatabase db) {
        this.db = db;
    }

    public void record(Digest diffId, Source source) throws IOException {
        try {
            db.update("INSERT OR REPLACE INTO blob_sources(diff_id, digest, size, registry, repository) VALUES(?,?,?,?,?)",
                    diffId.hex(), source.digest().hex(), source.size(), source.registry(), source.repository());
        } catch (SQLException e) {
            throw new IOException("image database: " + e.getMessage(), e);
        }
    }

    /** The known blobs of a layer in one registry, most recent first. */
    public List<Source> of(Digest diffId, String registry) throws IOException {
        try {
            return db.query("SELECT digest, size, registry, repository FROM blob_sources WHERE diff_id = ? AND registry = ?"
                    + " ORDER BY rowid DESC", row -> new Source(new Digest(row.getString(1)), row.getLong(2), row.getString(3),
                    row.getString(4)), diffId.hex(), registry);
        } catch (SQLException e) {
            throw new IOException("image database: " + e.getMessage(), e);
        }
    }
}
