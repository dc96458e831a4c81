package dev.berth.bus.contract.image;

import java.util.List;

/** Reply of {@code image.build.usage}: every step the build cache holds. */
public record BuildCacheUsage(List<BuildCacheRecord> records) {
    public BuildCacheUsage {
        records = records == null ? List.of() : List.copyOf(records);
    }
}
