package dev.berth.graph;

import dev.berth.graph.registry.RegistryOptions;
import dev.berth.graph.snapshot.StorageDriver;
import dev.berth.graph.unpack.UnpackLimits;
import java.nio.file.Path;

/**
 * Configuration of the graph worker.
 *
 * @param root where images live: the metadata database, the content store, unpacked layers and
 *     container snapshots (data-root/image)
 * @param maxLayerBytes how large one layer may grow when unpacked; more is refused as a bomb
 * @param registries how registries are reached (insecure ones, mirrors, CAs, concurrency)
 * @param storageDriver how layers and containers' trees are kept; a store made with one is refused to the other
 */
public record GraphOptions(Path root, long maxLayerBytes, RegistryOptions registries, StorageDriver storageDriver) {
    public static final long DEFAULT_MAX_LAYER_BYTES = 64L << 30;

    public GraphOptions(Path root, long maxLayerBytes) {
        this(root, maxLayerBytes, RegistryOptions.defaults(), StorageDriver.OVERLAY2);
    }

    public GraphOptions(Path root, long maxLayerBytes, RegistryOptions registries) {
        this(root, maxLayerBytes, registries, StorageDriver.OVERLAY2);
    }

    /** These options with another storage driver. */
    public GraphOptions withStorageDriver(StorageDriver driver) {
        return new GraphOptions(root, maxLayerBytes, registries, driver);
    }

    public static GraphOptions under(Path dataRoot) {
        return under(dataRoot, RegistryOptions.defaults());
    }

    public static GraphOptions under(Path dataRoot, RegistryOptions registries) {
        return new GraphOptions(dataRoot.resolve("image"), DEFAULT_MAX_LAYER_BYTES, registries);
    }

    /** The limits every layer is unpacked under. */
    public UnpackLimits limits() {
        return UnpackLimits.withMaxBytes(maxLayerBytes);
    }
}
