package dev.berth.bus.contract.volume;

/**
 * Arguments of {@code volume.remove}. A volume a container uses is refused (CONFLICT) even with
 * force; force only makes a missing volume no error, as dockerd does.
 */
public record RemoveVolume(String name, boolean force) {
}
