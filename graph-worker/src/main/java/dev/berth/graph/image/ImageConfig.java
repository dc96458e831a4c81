package dev.berth.graph.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.EngineException;
import dev.berth.graph.content.Digest;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image config (the JSON whose sha256 is the image id), read once and kept as its JSON tree so
 * that fields Berth does not know survive untouched.
 */
public final class ImageConfig {
    public static final ObjectMapper JSON = new ObjectMapper();
    /** Larger configs are refused; real ones are a few KiB, long histories a few hundred. */
    public static final int MAX_BYTES = 8 << 20;

    private final Digest id;
    private final ObjectNode tree;
    private final List<Digest> diffIds;

    private ImageConfig(Digest id, ObjectNode tree, List<Digest> diffIds) {
        this.id = id;
        this.tree = tree;
        this.diffIds = diffIds;
    }

    /** Parses and checks a config; INVALID_ARGUMENT when it is not one. */
    public static ImageConfig parse(byte[] bytes) {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw EngineException.invalid("invalid image config: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw EngineException.invalid("invalid image config: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw EngineException.invalid("invalid image config: not a JSON object");
        }
        JsonNode rootfs = node.path("rootfs");
        List<Digest> diffIds = new ArrayList<>();
        if (!rootfs.isMissingNode() && !rootfs.isNull()) {
            if (!"layers".equals(rootfs.path("type").asText())) {
                throw EngineException.invalid("invalid image config: rootfs type must be \"layers\"");
            }
            for (JsonNode diffId : rootfs.path("diff_ids")) {
                diffIds.add(Digest.parse(diffId.asText()));
            }
        }
        return new ImageConfig(Digest.of(bytes), (ObjectNode) node, Collections.unmodifiableList(diffIds));
    }

    public Digest id() {
        return id;
    }

    public List<Digest> diffIds() {
        return diffIds;
    }

    public String architecture() {
        return tree.path("architecture").asText("");
    }

    public String variant() {
        return tree.path("variant").asText("");
    }

    public String os() {
        return tree.path("os").asText("");
    }

    public String osVersion() {
        return tree.path("os.version").asText("");
    }

    public String author() {
        return tree.path("author").asText("");
    }

    public String comment() {
        return tree.path("comment").asText("");
    }

    public String dockerVersion() {
        return tree.path("docker_version").asText("");
    }

    /** The creation time as written in the config, or "" when absent. */
    public String createdText() {
        return tree.path("created").asText("");
    }

    /** The creation time, or null when absent or unreadable. */
    public Instant created() {
        String text = createdText();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The runtime config (Env, Cmd, Entrypoint, …) verbatim; an empty object when absent. */
    public ObjectNode config() {
        JsonNode config = tree.path("config");
        return config.isObject() ? (ObjectNode) config : JsonNodeFactory.instance.objectNode();
    }

    public boolean hasConfig() {
        return tree.path("config").isObject();
    }

    public JsonNode containerConfig() {
        return tree.path("container_config");
    }

    public String container() {
        return tree.path("container").asText("");
    }

    public ArrayNode history() {
        JsonNode history = tree.path("history");
        return history.isArray() ? (ArrayNode) history : JsonNodeFactory.instance.arrayNode();
    }

    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        config().path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }
}
