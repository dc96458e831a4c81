package dev.berth.bus.contract.container;

import java.util.List;
import java.util.Map;

/** container.prune: remove the stopped containers the filters (until, label, label!) keep. */
public record PruneContainers(Map<String, List<String>> filters) {
}
