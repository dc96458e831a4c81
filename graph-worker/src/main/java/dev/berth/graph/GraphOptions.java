package dev.berth.graph;

import dev.berth.graph.unpack.UnpackLimits;
import java.nio.file.Path;

/**
 * Configuration of the graph worker.
 *
 * @param root where images live: the metadata database, the content store, unpacked layers and
 *     container snapshots (data-root/image)
 * @param maxLayerBytes how large one layer may grow when unpacked; more is refused as a bomb
 */
public record GraphOptions(Path root, long maxLayerBytes) {
    public static final long DEFAULT_MAX_LAYER_BYTES = 64L << 30;

    public static GraphOptions under(Path dataRoot) {
        return new GraphOptions(dataRoot.resolve("image"), DEFAULT_MAX_LAYER_BYTES);
    }

    /** The limits every layer is unpacked under. */
    public UnpackLimits limits() {
        return UnpackLimits.withMaxBytes(maxLayerBytes);
    }
}
