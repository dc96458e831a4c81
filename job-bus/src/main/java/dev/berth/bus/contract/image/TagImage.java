package dev.berth.bus.contract.image;

/** Arguments of {@code image.tag}: points repo:tag (tag "latest" when empty) at the image ref names. */
public record TagImage(String ref, String repo, String tag) {
}
