package dev.berth.bus.contract.image;

/**
 * Arguments of {@code snapshot.prepare}: a writable layer for container id over the image that
 * image names (any {@link ImageRef} form). The snapshot is the container's lease on the image
 * until {@code snapshot.remove}. Idempotent; CONFLICT if id exists over another image.
 */
public record PrepareSnapshot(String id, String image) {
}
