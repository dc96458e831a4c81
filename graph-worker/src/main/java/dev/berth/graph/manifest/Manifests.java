package dev.berth.graph.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.bus.EngineException;
import java.io.IOException;
import java.util.List;

/**
 * Reads and writes manifests, indexes and docker-archive manifest.json, the one place that knows
 * their JSON; and chooses an index's entry for a platform.
 */
public final class Manifests {
    /** Real manifests are a few KiB; a registry or archive offering more is refused, not buffered. */
    public static final int MAX_BYTES = 4 << 20;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false);

    private Manifests() {
    }

    /**
     * Parses a manifest or index. The kind comes from the document's own mediaType, else from the
     * Content-Type it came with (may be null), else from its fields, as registries and older
     * tools leave mediaType out.
     */
    public static ManifestDocument parse(byte[] bytes, String contentType) {
        JsonNode tree = tree(bytes, "manifest");
        if (!tree.isObject()) {
            throw EngineException.invalid("invalid manifest: not a JSON object");
        }
        int schemaVersion = tree.path("schemaVersion").asInt(0);
        if (schemaVersion == 1) {
            throw EngineException.invalid("support for Docker Image manifest version 2, schema 1 has been removed:"
                    + " the image must be pushed again in a newer format");
        }
        if (schemaVersion != 2) {
            throw EngineException.invalid("invalid manifest: unsupported schemaVersion " + tree.path("schemaVersion"));
        }
        String mediaType = tree.path("mediaType").asText("");
        if (mediaType.isEmpty() && contentType != null) {
            String header = contentType.split(";")[0].trim();
            if (MediaTypes.isIndex(header) || MediaTypes.isManifest(header)) {
                mediaType = header;
            }
        }
        boolean index = MediaTypes.isIndex(mediaType) || (mediaType.isEmpty() && tree.has("manifests"));
        boolean manifest = MediaTypes.isManifest(mediaType) || (mediaType.isEmpty() && tree.has("config"));
        try {
            if (index) {
                return JSON.treeToValue(tree, ImageIndex.class);
            }
            if (manifest) {
                ImageManifest parsed = JSON.treeToValue(tree, ImageManifest.class);
                if (parsed.config() == null) {
                    throw EngineException.invalid("invalid manifest: it has no config");
                }
                return parsed;
            }
        } catch (JsonProcessingException e) {
            throw EngineException.invalid("invalid manifest: " + e.getOriginalMessage());
        }
        throw EngineException.invalid("unsupported manifest media type \"" + mediaType + "\"");
    }

    /** Parses what must be one image's manifest (an archive's, or an index's entry). */
    public static ImageManifest parseImage(byte[] bytes, String contentType) {
        if (parse(bytes, contentType) instanceof ImageManifest manifest) {
            return manifest;
        }
        throw EngineException.invalid("invalid manifest: expected an image manifest, found an index");
    }

    public static ImageIndex parseIndex(byte[] bytes) {
        if (parse(bytes, MediaTypes.OCI_INDEX) instanceof ImageIndex index) {
            return index;
        }
        throw EngineException.invalid("invalid index: expected an index, found an image manifest");
    }

    /** A docker-archive's manifest.json. */
    public static List<ArchiveManifestEntry> parseArchiveManifest(byte[] bytes) {
        JsonNode tree = tree(bytes, "manifest.json");
        if (tree.isNull()) {
            throw EngineException.invalid("invalid manifest, manifest cannot be null (but can be [])");
        }
        if (!tree.isArray()) {
            throw EngineException.invalid("invalid archive: failed to decode manifest.json: not a list");
        }
        try {
            List<ArchiveManifestEntry> entries = List.of(JSON.treeToValue(tree, ArchiveManifestEntry[].class));
            for (ArchiveManifestEntry entry : entries) {
                if (entry == null || entry.config() == null || entry.config().isEmpty()) {
                    throw EngineException.invalid("invalid archive: a manifest.json entry has no Config");
                }
            }
            return entries;
        } catch (JsonProcessingException e) {
            throw EngineException.invalid("invalid archive: failed to decode manifest.json: " + e.getOriginalMessage());
        }
    }

    /** The bytes of a record, exactly as they will be hashed and stored. */
    public static byte[] bytes(Object document) {
        try {
            return JSON.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a manifest record does not serialise", e);
        }
    }

    /**
     * The index entry for a platform: attestations skipped, the first match wins (registries list
     * the preferred variant first). NOT_FOUND in dockerd's words when none matches.
     */
    public static Descriptor select(ImageIndex index, Platform wanted) {
        for (Descriptor entry : index.manifests()) {
            if (!entry.isAttestation() && wanted.matches(entry.platform())) {
                return entry;
            }
        }
        throw EngineException.notFound("no matching manifest for " + wanted + " in the manifest list entries");
    }

    private static JsonNode tree(byte[] bytes, String what) {
        try {
            JsonNode node = JSON.readTree(bytes);
            return node == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : node;
        } catch (IOException e) {
            throw EngineException.invalid("invalid " + what + ": " + e.getMessage());
        }
    }
}
