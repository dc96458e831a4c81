package dev.berth.bus.contract.image;

import java.util.List;
import java.util.Map;

/**
 * Arguments of {@code image.list}. filters: Docker's list filters, each key with its values
 * (dangling, label, before, since, reference, until); any other key is INVALID_ARGUMENT
 * "invalid filter 'key'".
 */
public record ListImages(boolean all, Map<String, List<String>> filters) {
    public ListImages {
        Map<String, List<String>> copy = new java.util.LinkedHashMap<>();
        if (filters != null) {
            filters.forEach((key, values) -> copy.put(key, values == null ? List.of() : List.copyOf(values)));
        }
        filters = java.util.Collections.unmodifiableMap(copy);
    }
}
