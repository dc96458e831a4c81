package dev.berth.graph.image;

import dev.berth.bus.EngineException;
import dev.berth.graph.content.ContentStore;
import dev.berth.graph.content.Digest;
import dev.berth.graph.db.GraphDatabase;
import dev.berth.graph.reference.Reference;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Image records and the references (tags, digests) that name them, and the resolution of what a
 * user types into an image, in Docker's order: a name, then a full id, then a unique id prefix.
 * References are stored in their familiar form ({@code busybox:latest}).
 */
public final class ImageStore {
    private static final Pattern HEX_PREFIX = Pattern.compile("^[a-f0-9]+$");
    private static final String KIND_TAG = "tag";
    private static final String KIND_DIGEST = "digest";

    private final GraphDatabase db;
    private final ContentStore content;
    /** Configs are immutable and verified once; parsing them again on every list is waste. */
    private final Map<Digest, ImageConfig> configs = new ConcurrentHashMap<>();

    public ImageStore(GraphDatabase db, ContentStore content) {
        this.db = db;
        this.content = content;
    }

    public Optional<ImageRecord> get(Digest id) throws IOException {
        return records("SELECT id, top_chain, size, loaded_at, last_tag_time FROM images WHERE id = ?", id.hex())
                .stream().findFirst();
    }

    public List<ImageRecord> all() throws IOException {
        return records("SELECT id, top_chain, size, loaded_at, last_tag_time FROM images");
    }

    private List<ImageRecord> records(String sql, Object... args) throws IOException {
        return sql(() -> db.query(sql, row -> new ImageRecord(new Digest(row.getString(1)),
                row.getString(2) == null ? null : new Digest(row.getString(2)),
                row.getLong(3), row.getLong(4), row.getLong(5)), args));
    }

    public ImageConfig config(Digest id) throws IOException {
        ImageConfig cached = configs.get(id);
        if (cached != null) {
            return cached;
        }
        ImageConfig config = ImageConfig.parse(content.readVerified(id, ImageConfig.MAX_BYTES));
        configs.put(id, config);
        return config;
    }

    /** Records an image; recording it again changes nothing. */
    public void create(ImageRecord record) throws IOException {
        sql(() -> db.update("INSERT OR IGNORE INTO images(id, top_chain, size, loaded_at, last_tag_time) VALUES(?,?,?,?,?)",
                record.id().hex(), record.topChain() == null ? null : record.topChain().hex(), record.size(),
                record.loadedAtMillis(), record.lastTagTimeMillis()));
    }

    /** Records that id was made from parent (commit, build), as dockerd's Parent. */
    public void setParent(Digest id, Digest parent) throws IOException {
        sql(() -> db.update("UPDATE images SET parent = ? WHERE id = ?", parent.hex(), id.hex()));
    }

    /** The image id was made from, while that image still exists; "" otherwise, as dockerd shows it. */
    public String parent(Digest id) throws IOException {
        List<String> parents = sql(() -> db.query("SELECT p.id FROM images i JOIN images p ON p.id = i.parent WHERE i.id = ?",
                row -> row.getString(1), id.hex()));
        return parents.isEmpty() ? "" : new Digest(parents.get(0)).toString();
    }

    /** The image id was made from, while that image still exists. */
    public Optional<Digest> parentId(Digest id) throws IOException {
        String parent = parent(id);
        return parent.isEmpty() ? Optional.empty() : Optional.of(Digest.parse(parent));
    }

    /** The images made from id (commit, build steps): while they exist id cannot be deleted, as in dockerd. */
    public List<Digest> children(Digest id) throws IOException {
        return sql(() -> db.query("SELECT id FROM images WHERE parent = ? ORDER BY id", row -> new Digest(row.getString(1)),
                id.hex()));
    }

    /** Every image that has at least one child. */
    public java.util.Set<Digest> parents() throws IOException {
        return new java.util.HashSet<>(sql(() -> db.query("SELECT DISTINCT parent FROM images WHERE parent IS NOT NULL",
                row -> new Digest(row.getString(1)))));
    }

    /** Deletes an image, every reference to it and the build steps it made or was made by. */
    public void delete(Digest id) throws IOException {
        sql(() -> db.inTransaction(tx -> {
            tx.update("DELETE FROM refs WHERE image_id = ?", id.hex());
            tx.update("DELETE FROM build_cache WHERE image_id = ? OR parent = ?", id.hex(), id.hex());
            return tx.update("DELETE FROM images WHERE id = ?", id.hex());
        }));
        configs.remove(id);
    }

    /** Points ref (tagged or digested) at id; returns the image it pointed at before, if another. */
    public Optional<Digest> setReference(Reference ref, Digest id, boolean byHand) throws IOException {
        String name = ref.familiarString();
        return sql(() -> db.inTransaction(tx -> {
            List<String> previous = tx.query("SELECT image_id FROM refs WHERE name = ?", row -> row.getString(1), name);
            tx.update("INSERT OR REPLACE INTO refs(name, image_id, kind, created_at) VALUES(?,?,?,?)", name, id.hex(),
                    ref.isDigested() ? KIND_DIGEST : KIND_TAG, System.currentTimeMillis());
            if (byHand) {
                tx.update("UPDATE images SET last_tag_time = ? WHERE id = ?", System.currentTimeMillis(), id.hex());
            }
            return previous.isEmpty() || previous.get(0).equals(id.hex())
                    ? Optional.<Digest>empty() : Optional.of(new Digest(previous.get(0)));
        }));
    }

    /** Removes a reference; true when it existed. */
    public boolean removeReference(Reference ref) throws IOException {
        return sql(() -> db.update("DELETE FROM refs WHERE name = ?", ref.familiarString())) > 0;
    }

    /** The references to an image, sorted, each familiar. */
    public List<String> references(Digest id) throws IOException {
        return sql(() -> db.query("SELECT name FROM refs WHERE image_id = ? ORDER BY name", row -> row.getString(1), id.hex()));
    }

    /** Every image's references, sorted. */
    public Map<Digest, List<String>> allReferences() throws IOException {
        Map<Digest, List<String>> all = new LinkedHashMap<>();
        sql(() -> db.query("SELECT image_id, name FROM refs ORDER BY name", row -> {
            all.computeIfAbsent(new Digest(row.getString(1)), k -> new ArrayList<>()).add(row.getString(2));
            return null;
        }));
        return all;
    }

    public static boolean isDigestReference(String familiar) {
        return familiar.contains("@");
    }

    public int count() throws IOException {
        return sql(() -> db.query("SELECT COUNT(*) FROM images", row -> row.getInt(1)).get(0));
    }

    /**
     * The image a user's reference names. NOT_FOUND reads "No such image: x" with x in Docker's
     * form (busybox:latest for busybox); an unparsable name is INVALID_ARGUMENT.
     */
    public ImageRecord resolve(String text) throws IOException {
        if (text == null || text.isEmpty()) {
            throw EngineException.notFound("No such image: ");
        }
        if (Reference.isFullHexId(text) || Digest.isDigest(text)) {
            Digest id = Digest.parseLenient(text);
            return get(id).orElseThrow(() -> EngineException.notFound("No such image: " + id));
        }
        Reference named = Reference.parse(text);
        Reference tagged = named.withDefaultTag();
        List<String> found = sql(() -> db.query("SELECT image_id FROM refs WHERE name = ?", row -> row.getString(1),
                tagged.familiarString()));
        if (!found.isEmpty()) {
            Optional<ImageRecord> record = get(new Digest(found.get(0)));
            if (record.isPresent()) {
                return record.get();
            }
        }
        String prefix = text.startsWith(Digest.ALGORITHM + ":") ? text.substring(Digest.ALGORITHM.length() + 1) : text;
        if (HEX_PREFIX.matcher(prefix).matches()) {
            List<ImageRecord> matches = records("SELECT id, top_chain, size, loaded_at, last_tag_time FROM images"
                    + " WHERE id >= ? AND id < ? LIMIT 2", prefix, prefix + "g");
            if (matches.size() == 1) {
                return matches.get(0);
            }
        }
        throw EngineException.notFound("No such image: " + tagged.familiarString());
    }

    /** Whether text names the image by (a prefix of) its id rather than by a reference. */
    public static boolean isIdReference(Digest id, String text) {
        String full = id.toString();
        return full.startsWith(text) || id.hex().startsWith(text);
    }

    @FunctionalInterface
    private interface Sql<T> {
        T run() throws SQLException, IOException;
    }

    private static <T> T sql(Sql<T> work) throws IOException {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new IOException("image database: " + e.getMessage(), e);
        }
    }
}
