package dev.berth.api.router;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code filters} query parameter of Docker's list endpoints, decoded as dockerd decodes it
 * into {key: [values]}. Clients send two encodings: the CLI a set, {@code {"label":{"a=b":true}}};
 * docker-java and docker-py the older list, {@code {"label":["a=b"]}}. Anything else is a 400, so
 * that a filter the client meant is never dropped on the way.
 */
public final class FiltersParam {
    static final String SHAPE = "invalid filter: filters must be a JSON object such as {\"label\":[\"a=b\"]} or {\"label\":{\"a=b\":true}}";

    private FiltersParam() {
    }

    /** Null or empty: no filters. Values of the set form count whatever their boolean, as in dockerd. */
    public static Map<String, List<String>> parse(String value) {
        if (value == null || value.isEmpty()) {
            return Map.of();
        }
        JsonNode root;
        try {
            root = JobCodec.mapper().readTree(value);
        } catch (JsonProcessingException e) {
            throw EngineException.invalid(SHAPE);
        }
        if (root == null || root.isNull()) {
            return Map.of();
        }
        if (!root.isObject()) {
            throw EngineException.invalid(SHAPE);
        }
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            filters.put(field.getKey(), values(field.getValue()));
        }
        return Collections.unmodifiableMap(filters);
    }

    private static List<String> values(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    throw EngineException.invalid(SHAPE);
                }
                values.add(item.asText());
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext();) {
                Map.Entry<String, JsonNode> entry = entries.next();
                if (!entry.getValue().isBoolean()) {
                    throw EngineException.invalid(SHAPE);
                }
                values.add(entry.getKey());
            }
        } else if (!node.isNull()) {
            throw EngineException.invalid(SHAPE);
        }
        return List.copyOf(values);
    }
}
