package dev.berth.bus.contract.image;

/**
 * Arguments of {@code image.load}: the archive flows caller to worker; one {@link LoadProgress}
 * per chunk flows back. quiet: no per-layer progress.
 */
public record LoadImage(boolean quiet) {
}
