package dev.berth.bus.contract.volume;

import java.util.List;
import java.util.Map;

/**
 * Arguments of {@code volume.prune}: removes the volumes no container uses; only anonymous ones
 * unless the filter {@code all} is true (API 1.42 and later), and only those the label filters
 * (label, label!) keep.
 */
public record PruneVolumes(Map<String, List<String>> filters) {
}
