package dev.berth.graph.gc;

import dev.berth.host.FileTrees;
import dev.berth.graph.content.ContentStore;
import dev.berth.graph.content.Digest;
import dev.berth.graph.db.GraphDatabase;
import dev.berth.graph.layer.LayerStore;
import dev.berth.graph.unpack.LayerUnpacker;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what nothing refers to. Roots are the images' top layers and configs, the snapshots'
 * top layers, and whatever is pinned; a layer is live when a root stands on it, a blob when it is
 * a live image's config or a live layer's uncompressed tar.
 */
public final class GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

    private final GraphDatabase db;
    private final LayerStore layers;
    private final ContentStore content;
    private final Pins pins;

    public GarbageCollector(GraphDatabase db, LayerStore layers, ContentStore content, Pins pins) {
        this.db = db;
        this.layers = layers;
        this.content = content;
        this.pins = pins;
    }

    /** Collects; returns the chain ids of the layers it deleted. */
    public List<Digest> collect() throws IOException {
        List<Digest> removed = new ArrayList<>();
        List<Path> trash = new ArrayList<>();
        synchronized (pins) {
            Map<Digest, LayerStore.Layer> all = layers.all();
            Set<Digest> roots = new HashSet<>(pins.pinnedLayers());
            Set<Digest> liveBlobs = new HashSet<>(pins.pinnedBlobs());
            try {
                for (String[] image : db.query("SELECT id, top_chain FROM images",
                        row -> new String[] {row.getString(1), row.getString(2)})) {
                    liveBlobs.add(new Digest(image[0]));
                    if (image[1] != null) {
                        roots.add(new Digest(image[1]));
                    }
                }
                for (String top : db.query("SELECT top_chain FROM snapshots WHERE top_chain IS NOT NULL", row -> row.getString(1))) {
                    roots.add(new Digest(top));
                }
            } catch (SQLException e) {
                throw new IOException("image database: " + e.getMessage(), e);
            }
            Set<Digest> live = new HashSet<>();
            for (Digest root : roots) {
                Digest current = root;
                while (current != null && live.add(current)) {
                    LayerStore.Layer layer = all.get(current);
                    current = layer == null ? null : layer.parent();
                }
            }
            for (LayerStore.Layer layer : all.values()) {
                if (live.contains(layer.chainId())) {
                    liveBlobs.add(layer.diffId());
                } else {
                    Path moved = layers.forget(layer.chainId());
                    if (moved != null) {
                        trash.add(moved);
                    }
                    removed.add(layer.chainId());
                }
            }
            for (Digest blob : content.list()) {
                if (!liveBlobs.contains(blob)) {
                    content.delete(blob);
                }
            }
        }
        for (Path directory : trash) {
            FileTrees.deleteTree(directory);
        }
        if (!removed.isEmpty()) {
            LOG.info("removed {} unused layer(s)", removed.size());
        }
        return removed;
    }
}
