package dev.berth.bus.contract.image;

/** Reply of {@code image.commit}: the new image's id (sha256:…). */
public record CommittedImage(String id) {
}
