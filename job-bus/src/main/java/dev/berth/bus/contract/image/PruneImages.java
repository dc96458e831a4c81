package dev.berth.bus.contract.image;

import java.util.List;
import java.util.Map;

/**
 * Arguments of {@code image.prune}: dockerd's filters. {@code dangling=true} (the default) takes
 * untagged images, {@code dangling=false} every image no container uses.
 */
public record PruneImages(Map<String, List<String>> filters) {
    public PruneImages {
        filters = filters == null ? Map.of() : Map.copyOf(filters);
    }
}
