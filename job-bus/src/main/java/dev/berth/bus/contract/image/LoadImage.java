package dev.berth.bus.contract.image;

/**
 * Arguments of {@code image.load}: the archive flows caller to worker; Docker's progress messages
 * (jsonmessage objects, one per chunk) flow back. quiet: no per-layer progress bars.
 */
public record LoadImage(boolean quiet) {
}
