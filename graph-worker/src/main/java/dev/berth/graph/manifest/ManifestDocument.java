package dev.berth.graph.manifest;

/** What a manifest blob is: one image, or an index of images per platform. */
public sealed interface ManifestDocument permits ImageManifest, ImageIndex {
    String mediaType();
}
