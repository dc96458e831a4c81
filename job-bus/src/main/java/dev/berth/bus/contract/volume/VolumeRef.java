package dev.berth.bus.contract.volume;

/** Arguments of {@code volume.inspect}: a volume's name. */
public record VolumeRef(String name) {
}
