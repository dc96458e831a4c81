package dev.berth.bus.contract.volume;

import java.util.List;
import java.util.Map;

/**
 * Arguments of {@code volume.list}: Docker's filters as {key: [values]} (dangling, name, label,
 * driver). The worker refuses a key it does not know, so that no filter is ever ignored.
 */
public record ListVolumes(Map<String, List<String>> filters) {
}
