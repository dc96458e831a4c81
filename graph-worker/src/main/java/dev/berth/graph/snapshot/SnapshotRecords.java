package dev.berth.graph.snapshot;

import dev.berth.bus.EngineException;
import dev.berth.graph.content.Digest;
import dev.berth.graph.db.GraphDatabase;
import dev.berth.graph.gc.Pins;
import dev.berth.graph.layer.LayerStore;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The image database's table of snapshots, which both drivers keep alike: what a snapshot stands
 * on and who holds an image are the same questions whatever the tree on disk looks like. Only the
 * directories (and what "in use" means) differ between the drivers, so those stay with them.
 */
final class SnapshotRecords {
    /** What a recorded snapshot stands on; topChain is null for an image without layers. */
    record Entry(Digest image, Digest topChain) {
    }

    /** A driver's directories for a new snapshot, made before its record so a record never names a missing tree. */
    interface Directories {
        void create() throws IOException;
    }

    private final GraphDatabase db;
    private final LayerStore layers;
    private final Pins pins;

    SnapshotRecords(GraphDatabase db, LayerStore layers, Pins pins) {
        this.db = db;
        this.layers = layers;
        this.pins = pins;
    }

    /** The record of snapshot id, if there is one; INVALID_ARGUMENT for an id that is not one. */
    Optional<Entry> get(String id) throws IOException {
        Snapshotter.checkId(id);
        try {
            return db.query("SELECT image_id, top_chain FROM snapshots WHERE id = ?",
                    row -> new Entry(new Digest(row.getString(1)), row.getString(2) == null ? null : new Digest(row.getString(2))),
                    id).stream().findFirst();
        } catch (SQLException e) {
            throw databaseError(e);
        }
    }

    /**
     * The record of snapshot id when a prepare finds one: a second prepare over the same image is
     * a retry, over another image a CONFLICT.
     */
    Optional<Entry> existing(String id, Digest image) throws IOException {
        Optional<Entry> existing = get(id);
        if (existing.isPresent() && !existing.get().image().equals(image)) {
            throw EngineException.conflict("a snapshot for " + id + " already exists over another image");
        }
        return existing;
    }

    /** The ids of the snapshots over image, oldest first. */
    List<String> holders(Digest image) throws IOException {
        try {
            return db.query("SELECT id FROM snapshots WHERE image_id = ? ORDER BY created_at, id", row -> row.getString(1),
                    image.hex());
        } catch (SQLException e) {
            throw databaseError(e);
        }
    }

    int count(Digest image) throws IOException {
        try {
            return db.query("SELECT COUNT(*) FROM snapshots WHERE image_id = ?", row -> row.getInt(1), image.hex()).get(0);
        } catch (SQLException e) {
            throw databaseError(e);
        }
    }

    /**
     * Records a new snapshot over topChain after making its directories. The layer is pinned
     * meanwhile, so garbage collection cannot take it between the check that it exists and the
     * record that from then on keeps it alive. The caller holds the snapshot's lock.
     */
    void add(String id, Digest image, Digest topChain, Directories directories) throws IOException {
        if (topChain != null) {
            pins.pinLayer(topChain);
        }
        try {
            if (topChain != null && layers.get(topChain).isEmpty()) {
                throw EngineException.notFound("No such image: " + image);
            }
            directories.create();
            db.update("INSERT INTO snapshots(id, image_id, top_chain, created_at) VALUES(?,?,?,?)", id, image.hex(),
                    topChain == null ? null : topChain.hex(), System.currentTimeMillis());
        } catch (SQLException e) {
            throw new IOException("recording snapshot " + id + ": " + e.getMessage(), e);
        } finally {
            if (topChain != null) {
                pins.unpinLayer(topChain);
            }
        }
    }

    /** Deletes the record; false when there was none. */
    boolean remove(String id) throws IOException {
        try {
            return db.update("DELETE FROM snapshots WHERE id = ?", id) > 0;
        } catch (SQLException e) {
            throw databaseError(e);
        }
    }

    private static IOException databaseError(SQLException e) {
        return new IOException("image database: " + e.getMessage(), e);
    }
}
