package dev.berth.graph.gc;

import dev.berth.graph.content.Digest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Layers and blobs that work in progress (a load, a snapshot being prepared) holds before any
 * database row refers to them. The garbage collector deletes nothing pinned, and it decides and
 * deletes while holding this object's monitor, so "pin, then check that it exists" is safe.
 */
public final class Pins {
    private final Map<Digest, Integer> layers = new HashMap<>();
    private final Map<Digest, Integer> blobs = new HashMap<>();

    public synchronized void pinLayer(Digest chainId) {
        layers.merge(chainId, 1, Integer::sum);
    }

    public synchronized void unpinLayer(Digest chainId) {
        layers.computeIfPresent(chainId, (k, n) -> n > 1 ? n - 1 : null);
    }

    public synchronized void pinBlob(Digest digest) {
        blobs.merge(digest, 1, Integer::sum);
    }

    public synchronized void unpinBlob(Digest digest) {
        blobs.computeIfPresent(digest, (k, n) -> n > 1 ? n - 1 : null);
    }

    synchronized Set<Digest> pinnedLayers() {
        return Set.copyOf(layers.keySet());
    }

    synchronized Set<Digest> pinnedBlobs() {
        return Set.copyOf(blobs.keySet());
    }
}
