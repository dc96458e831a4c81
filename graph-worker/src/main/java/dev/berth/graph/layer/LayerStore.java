package dev.berth.graph.layer;

import dev.berth.host.FileTrees;
import dev.berth.graph.content.Digest;
import dev.berth.graph.db.GraphDatabase;
import dev.berth.graph.unpack.LayerUnpacker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Unpacked layers, one directory per chain id, shared by every image and snapshot stacked on
 * them. A layer is unpacked into a temporary directory and renamed into place only when complete,
 * then recorded; a crash leaves no half layer under a chain id. Each layer also gets a short
 * symlink under {@code l/}, so that overlay's lowerdir option (one page at most) holds deep stacks.
 * Under vfs a layer's directory is a whole tree: its parent's, copied, with its own changes applied.
 */
public final class LayerStore {
    private static final String TEMP_PREFIX = ".tmp-";
    private static final String TRASH_PREFIX = ".trash-";
    private static final int LINK_LENGTH = 20;

    /** One unpacked layer. size is the bytes of its files. */
    public record Layer(Digest chainId, Digest diffId, Digest parent, long size) {
    }

    /** Fills an empty directory with a layer's content; returns the size of its files. */
    @FunctionalInterface
    public interface Unpack {
        long into(Path directory) throws IOException;
    }

    private final Path layers;
    private final Path links;
    private final GraphDatabase db;
    private final TreeCopier parentCopier;
    private final Map<Digest, Object> locks = new ConcurrentHashMap<>();

    /** Layers that hold only their own changes, stacked by overlay. */
    public LayerStore(Path root, GraphDatabase db) throws IOException {
        this(root, db, null);
    }

    /**
     * parentCopier non-null: every layer is a whole tree, its parent's copied in before its own
     * changes are applied (vfs).
     */
    public LayerStore(Path root, GraphDatabase db, TreeCopier parentCopier) throws IOException {
        this.layers = root.resolve("layers");
        this.links = root.resolve("l");
        this.db = db;
        this.parentCopier = parentCopier;
        Files.createDirectories(layers);
        Files.createDirectories(links);
    }

    public Optional<Layer> get(Digest chainId) throws IOException {
        return query("SELECT chain_id, diff_id, parent, size FROM layers WHERE chain_id = ?", chainId.hex())
                .stream().findFirst();
    }

    public Map<Digest, Layer> all() throws IOException {
        Map<Digest, Layer> all = new HashMap<>();
        for (Layer layer : query("SELECT chain_id, diff_id, parent, size FROM layers")) {
            all.put(layer.chainId(), layer);
        }
        return all;
    }

    private List<Layer> query(String sql, Object... args) throws IOException {
        try {
            return db.query(sql, row -> new Layer(new Digest(row.getString(1)), new Digest(row.getString(2)),
                    row.getString(3) == null ? null : new Digest(row.getString(3)), row.getLong(4)), args);
        } catch (SQLException e) {
            throw new IOException("reading layers: " + e.getMessage(), e);
        }
    }

    /**
     * The layer for chainId, unpacking it when it does not exist yet. The caller pins chainId
     * (and holds its parent) for as long as nothing else refers to it.
     */
    public Layer obtain(Digest chainId, Digest parent, Digest diffId, Unpack unpack) throws IOException {
        Object lock = locks.computeIfAbsent(chainId, k -> new Object());
        synchronized (lock) {
            try {
                Optional<Layer> existing = get(chainId);
                if (existing.isPresent()) {
                    return existing.get();
                }
                Path temp = layers.resolve(TEMP_PREFIX + UUID.randomUUID());
                Path diff = temp.resolve("diff");
                Files.createDirectories(diff);
                long size;
                try {
                    if (parentCopier != null && parent != null) {
                        parentCopier.copyInto(diffDirectory(parent), diff);
                    }
                    size = unpack.into(diff);
                    Path target = directory(chainId);
                    FileTrees.deleteTree(target);
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    FileTrees.deleteTree(temp);
                }
                Path link = link(chainId);
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, Path.of("..", "layers", chainId.hex(), "diff"));
                db.update("INSERT OR IGNORE INTO layers(chain_id, diff_id, parent, size, created_at) VALUES(?,?,?,?,?)",
                        chainId.hex(), diffId.hex(), parent == null ? null : parent.hex(), size, System.currentTimeMillis());
                return new Layer(chainId, diffId, parent, size);
            } catch (SQLException e) {
                throw new IOException("recording layer " + chainId + ": " + e.getMessage(), e);
            } finally {
                locks.remove(chainId, lock);
            }
        }
    }

    /** The stack ending at top, topmost first; empty for null. */
    public List<Layer> stack(Digest top) throws IOException {
        List<Layer> stack = new ArrayList<>();
        Digest current = top;
        while (current != null) {
            Layer layer = get(current).orElseThrow(() -> new IOException("layer missing from the store: " + top));
            stack.add(layer);
            current = layer.parent();
        }
        return stack;
    }

    public Path directory(Digest chainId) {
        return layers.resolve(chainId.hex());
    }

    public Path diffDirectory(Digest chainId) {
        return directory(chainId).resolve("diff");
    }

    /** The short symlink to the layer's diff directory, used in overlay's lowerdir. */
    public Path link(Digest chainId) {
        return links.resolve(chainId.hex().substring(0, LINK_LENGTH));
    }

    /**
     * Forgets a layer: removes its row and link and moves its directory aside. Returns the moved
     * directory, for the caller to delete outside its locks. For the garbage collector only.
     */
    public Path forget(Digest chainId) throws IOException {
        try {
            db.update("DELETE FROM layers WHERE chain_id = ?", chainId.hex());
        } catch (SQLException e) {
            throw new IOException("forgetting layer " + chainId + ": " + e.getMessage(), e);
        }
        Files.deleteIfExists(link(chainId));
        Path directory = directory(chainId);
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        Path trash = layers.resolve(TRASH_PREFIX + UUID.randomUUID());
        Files.move(directory, trash, StandardCopyOption.ATOMIC_MOVE);
        return trash;
    }

    /**
     * At start: removes temporary and trashed directories, directories no row names (a crash
     * between rename and record) and links to nothing.
     */
    public void cleanUp() throws IOException {
        Map<Digest, Layer> known = all();
        try (Stream<Path> entries = Files.list(layers)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                boolean recorded = name.length() == 64 && !name.startsWith(".") && isKnown(known, name);
                if (!recorded) {
                    FileTrees.deleteTree(entry);
                }
            }
        }
        try (Stream<Path> entries = Files.list(links)) {
            for (Path entry : entries.toList()) {
                if (!Files.exists(entry)) {
                    Files.deleteIfExists(entry);
                }
            }
        }
    }

    private static boolean isKnown(Map<Digest, Layer> known, String hex) {
        try {
            return known.containsKey(new Digest(hex));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
