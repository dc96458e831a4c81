package dev.berth.bus.contract.container;

/**
 * container.stats: samples of the container's resource use, one a second while {@code stream};
 * otherwise two a second apart (so CPU use can be computed), or one with {@code oneShot}.
 */
public record StatsRequest(String ref, boolean stream, boolean oneShot) {
}
