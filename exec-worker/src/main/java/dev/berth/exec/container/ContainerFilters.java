package dev.berth.exec.container;

import dev.berth.bus.EngineException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** `docker ps --filter`: which containers a filter set keeps. */
public final class ContainerFilters {
    private static final Set<String> KNOWN = Set.of("id", "name", "status", "label", "ancestor", "exited", "before", "since",
            "network", "volume", "health", "is-task", "publish", "expose");
    private static final Set<String> STATUSES = Set.of("created", "restarting", "running", "removing", "paused", "exited", "dead");

    private final Map<String, List<String>> filters;
    private final Function<String, String> imageIdOf;
    private final Function<String, Container> containerOf;

    /**
     * @param filters {key: [values]}
     * @param imageIdOf image reference → image id, or null when unknown
     * @param containerOf container reference → container, or null
     */
    public ContainerFilters(Map<String, List<String>> filters, Function<String, String> imageIdOf, Function<String, Container> containerOf) {
        this.filters = filters == null ? Map.of() : filters;
        this.imageIdOf = imageIdOf;
        this.containerOf = containerOf;
        for (String key : this.filters.keySet()) {
            if (!KNOWN.contains(key)) {
                throw EngineException.invalid("invalid filter '" + key + "'");
            }
        }
        for (String status : values("status")) {
            if (!STATUSES.contains(status)) {
                throw EngineException.invalid("invalid filter 'status=" + status + "'");
            }
        }
    }

    private List<String> values(String key) {
        List<String> values = filters.get(key);
        return values == null ? List.of() : values;
    }

    /** Whether any value of a filter key matches; an absent key matches everything. */
    private boolean any(String key, java.util.function.Predicate<String> test) {
        List<String> wanted = values(key);
        return wanted.isEmpty() || wanted.stream().anyMatch(test);
    }

    public boolean keeps(Container c) {
        return any("id", v -> c.id().startsWith(v))
                && any("name", v -> nameMatches(c.name(), v))
                && any("status", v -> v.equals(c.status().dockerName()))
                && any("label", v -> labelMatches(c.labels(), v))
                && any("exited", v -> c.status() == Status.EXITED && String.valueOf(c.exitCode()).equals(v))
                && any("ancestor", v -> ancestorMatches(c, v))
                && any("before", v -> {
                    Container other = containerOf.apply(v);
                    return other != null && c.created().isBefore(other.created());
                })
                && any("since", v -> {
                    Container other = containerOf.apply(v);
                    return other != null && c.created().isAfter(other.created());
                });
    }

    /** Docker matches names as a regular expression against "/name". */
    private static boolean nameMatches(String name, String pattern) {
        try {
            return Pattern.compile(pattern).matcher("/" + name).find();
        } catch (PatternSyntaxException e) {
            return ("/" + name).contains(pattern);
        }
    }

    private static boolean labelMatches(Map<String, String> labels, String filter) {
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return labels.containsKey(filter);
        }
        String key = filter.substring(0, eq);
        return labels.containsKey(key) && filter.substring(eq + 1).equals(labels.get(key));
    }

    private boolean ancestorMatches(Container c, String reference) {
        String image = c.imageRef();
        if (image.equals(reference) || c.imageId().equals(reference) || c.imageId().equals("sha256:" + reference)
                || (reference.length() >= 4 && c.imageId().startsWith("sha256:" + reference))) {
            return true;
        }
        String id = imageIdOf.apply(reference);
        return id != null && id.equals(c.imageId());
    }
}
