package dev.berth.bus.contract.volume;

import java.util.List;

/** Reply of {@code volume.prune}: the names removed and the bytes their data took. */
public record PrunedVolumes(List<String> volumesDeleted, long spaceReclaimed) {
}
