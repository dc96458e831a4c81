package dev.berth.bus.contract.image;

import java.util.Map;

/**
 * Reply of {@code image.usage}, for {@code docker system df}: the bytes of every stored layer,
 * each counted once, and for each image (by id) the bytes of its layers that another image also
 * uses (dockerd's SharedSize).
 */
public record ImageUsage(long layersSize, Map<String, Long> sharedSizes) {
    public ImageUsage {
        sharedSizes = sharedSizes == null ? Map.of() : Map.copyOf(sharedSizes);
    }
}
