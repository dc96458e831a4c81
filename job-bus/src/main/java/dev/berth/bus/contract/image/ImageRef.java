package dev.berth.bus.contract.image;

/**
 * One image as a user names it: name[:tag], name@digest, a full or short id, or sha256:id.
 * Unknown: NOT_FOUND "No such image: x", x as Docker shows it (busybox:latest for busybox).
 */
public record ImageRef(String ref) {
}
