package dev.berth.bus.contract.image;

/**
 * Arguments of {@code image.remove}, with dockerd's rules: CONFLICT while a container holds the
 * image (a running one even when forced); noprune keeps untagged parents.
 */
public record RemoveImage(String ref, boolean force, boolean noprune) {
}
