package dev.berth.graph.image;

import dev.berth.graph.content.Digest;

/**
 * What the database holds about one image; the rest is in its config blob.
 *
 * @param topChain chain id of its top layer, null for an image without layers
 * @param size bytes of its layers' files
 * @param loadedAtMillis when this daemon got it
 * @param lastTagTimeMillis when it was last tagged by hand, 0 if never
 */
public record ImageRecord(Digest id, Digest topChain, long size, long loadedAtMillis, long lastTagTimeMillis) {
}
