package dev.berth.bus.contract.image;

/**
 * Reply of {@code image.commit} and {@code image.import}: the new image's id (sha256:…) and the
 * reference it was tagged with, in familiar form (busybox:1), or "" when untagged.
 */
public record CommittedImage(String id, String reference) {
    public CommittedImage {
        reference = reference == null ? "" : reference;
    }
}
