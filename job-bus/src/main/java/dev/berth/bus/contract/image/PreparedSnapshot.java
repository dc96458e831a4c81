package dev.berth.bus.contract.image;

/** Reply of {@code snapshot.prepare}: the container id and the image's full id (sha256:…). */
public record PreparedSnapshot(String id, String image) {
}
