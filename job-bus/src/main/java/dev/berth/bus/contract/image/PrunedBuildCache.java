package dev.berth.bus.contract.image;

import java.util.List;

/**
 * Reply of {@code image.build.prune}: the build steps the cache forgot (their ids) and the bytes
 * freed, which are none: a cached step is an image, and images go with image prune or rmi.
 */
public record PrunedBuildCache(List<String> cachesDeleted, long spaceReclaimed) {
    public PrunedBuildCache {
        cachesDeleted = cachesDeleted == null ? List.of() : List.copyOf(cachesDeleted);
    }
}
