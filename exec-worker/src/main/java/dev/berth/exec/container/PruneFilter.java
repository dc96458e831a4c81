package dev.berth.exec.container;

import dev.berth.bus.EngineException;
import dev.berth.bus.Timestamps;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which stopped containers `docker container prune` removes: dockerd's keys until (created
 * before), label (has every one) and label! (has none of them); any other key is refused.
 */
final class PruneFilter {
    private static final Set<String> KNOWN = Set.of("until", "label", "label!");

    private final List<String> labels;
    private final List<String> notLabels;
    private final Instant until;

    PruneFilter(Map<String, List<String>> filters, Instant now) {
        Map<String, List<String>> given = filters == null ? Map.of() : filters;
        for (String key : given.keySet()) {
            if (!KNOWN.contains(key)) {
                throw EngineException.invalid("invalid filter '" + key + "'");
            }
        }
        List<String> untils = given.getOrDefault("until", List.of());
        if (untils.size() > 1) {
            throw EngineException.invalid("more than one until filter specified");
        }
        this.until = untils.isEmpty() ? null : Timestamps.parse(untils.get(0), now);
        this.labels = given.getOrDefault("label", List.of());
        this.notLabels = given.getOrDefault("label!", List.of());
    }

    /** A container that does not run (created, exited, dead) and matches. */
    boolean removes(Container c) {
        Status status = c.status();
        if (status != Status.CREATED && status != Status.EXITED && status != Status.DEAD) {
            return false;
        }
        if (until != null && !c.created().isBefore(until)) {
            return false;
        }
        return labels.stream().allMatch(l -> has(c.labels(), l)) && notLabels.stream().noneMatch(l -> has(c.labels(), l));
    }

    private static boolean has(Map<String, String> labels, String filter) {
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return labels.containsKey(filter);
        }
        String key = filter.substring(0, eq);
        return labels.containsKey(key) && filter.substring(eq + 1).equals(labels.get(key));
    }
}
