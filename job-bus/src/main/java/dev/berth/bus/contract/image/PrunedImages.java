package dev.berth.bus.contract.image;

import java.util.List;

/** Reply of {@code image.prune}: what was untagged and deleted, and the bytes of layers freed. */
public record PrunedImages(List<RemovedImages.Item> items, long spaceReclaimed) {
    public PrunedImages {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
