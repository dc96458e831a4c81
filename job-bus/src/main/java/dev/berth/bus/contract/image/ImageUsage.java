package dev.berth.bus.contract.image;

/** Reply of {@code image.usage}, for {@code docker system df}: the bytes of every stored layer, each counted once. */
public record ImageUsage(long layersSize) {
}
