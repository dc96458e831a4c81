package dev.berth.bus.contract.volume;

import java.util.Map;

/**
 * Arguments of {@code volume.create}: Docker's VolumeCreateBody. An empty name asks for a random
 * one; an existing name answers that volume, as dockerd does.
 */
public record CreateVolume(String name, String driver, Map<String, String> driverOpts, Map<String, String> labels) {
}
