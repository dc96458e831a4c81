package dev.berth.bus.contract.image;

import java.util.List;

/**
 * One step of the classic builder's cache, for {@code docker system df}: its id, the ids of the
 * steps that made its parent image, what the step was, and its use. size is the bytes pruning the
 * record would free; shared says its content is an image's, which image removal governs.
 * Times are milliseconds since the epoch; lastUsedAt is null when the step was never reused.
 */
public record BuildCacheRecord(String id, List<String> parents, String type, String description, boolean inUse,
        boolean shared, long size, long createdAt, Long lastUsedAt, long usageCount) {
    public BuildCacheRecord {
        parents = parents == null ? List.of() : List.copyOf(parents);
    }
}
