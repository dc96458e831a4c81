package dev.berth.net.network;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.network.NetworkView;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The filters of {@code GET /networks}, with dockerd's meaning and dockerd's messages:
 * <ul>
 * <li>{@code driver}, {@code scope}: the exact value;</li>
 * <li>{@code name}, {@code id}: the exact value, or a regular expression found anywhere in it;</li>
 * <li>{@code label}: every {@code key} or {@code key=value} given is on the network;</li>
 * <li>{@code type}: {@code builtin} (bridge, host, none) or {@code custom};</li>
 * <li>{@code dangling}: one of true/1 (custom networks without containers) or false/0 (the others).</li>
 * </ul>
 * Values of one key are alternatives, except for {@code label}, where all must hold; keys must
 * all hold. A key without values filters nothing. Any other key is refused: a filter that was
 * ignored would make a client that lists to clean up remove networks it never meant to.
 */
public final class NetworkFilter {
    private static final Set<String> ACCEPTED = Set.of("dangling", "driver", "id", "label", "name", "scope", "type");

    private final Map<String, Set<String>> values;
    /** Null when the dangling filter is not given. */
    private final Boolean danglingOnly;

    private NetworkFilter(Map<String, Set<String>> values, Boolean danglingOnly) {
        this.values = values;
        this.danglingOnly = danglingOnly;
    }

    /** Checks the filters as dockerd does; null or empty filters everything in. */
    public static NetworkFilter of(Map<String, List<String>> filters) {
        Map<String, Set<String>> values = new TreeMap<>();
        if (filters != null) {
            filters.forEach((key, list) -> values.put(key, list == null ? Set.of() : new LinkedHashSet<>(list)));
        }
        for (String key : values.keySet()) {
            if (!ACCEPTED.contains(key)) {
                throw EngineException.invalid("invalid filter '" + key + "'");
            }
        }
        for (String type : values.getOrDefault("type", Set.of())) {
            if (!type.equals("builtin") && !type.equals("custom")) {
                throw EngineException.invalid("invalid filter: 'type'='" + type + "'");
            }
        }
        return new NetworkFilter(values, dangling(values.getOrDefault("dangling", Set.of())));
    }

    private static Boolean dangling(Set<String> given) {
        if (given.isEmpty()) {
            return null;
        }
        if (given.size() > 1) {
            throw EngineException.invalid("got more than one value for filter key \"dangling\"");
        }
        switch (given.iterator().next()) {
            case "1":
            case "true":
                return true;
            case "0":
            case "false":
                return false;
            default:
                throw EngineException.invalid("invalid value for filter 'dangling', must be \"true\" (or \"1\"), or \"false\" (or \"0\")");
        }
    }

    /**
     * Whether a network passes. {@code predefined}: one of the networks every engine has;
     * {@code hasContainers}: some container is attached to it.
     */
    public boolean matches(NetworkView network, boolean predefined, boolean hasContainers) {
        if (!exact("driver", network.driver()) || !exact("scope", network.scope())) {
            return false;
        }
        if (!exactOrPattern("name", network.name()) || !exactOrPattern("id", network.id())) {
            return false;
        }
        if (!hasLabels(network.labels())) {
            return false;
        }
        if (danglingOnly != null && danglingOnly == (predefined || hasContainers)) {
            return false;
        }
        Set<String> types = values.getOrDefault("type", Set.of());
        return types.isEmpty() || types.contains(predefined ? "builtin" : "custom");
    }

    private boolean exact(String key, String actual) {
        Set<String> wanted = values.getOrDefault(key, Set.of());
        return wanted.isEmpty() || wanted.contains(actual);
    }

    /** dockerd's Match: an exact value, or a regular expression found anywhere; a broken expression matches nothing. */
    private boolean exactOrPattern(String key, String actual) {
        Set<String> wanted = values.getOrDefault(key, Set.of());
        if (wanted.isEmpty() || wanted.contains(actual)) {
            return true;
        }
        for (String expression : wanted) {
            try {
                if (Pattern.compile(expression).matcher(actual).find()) {
                    return true;
                }
            } catch (PatternSyntaxException e) {
                // As dockerd: the value is simply not a match.
            }
        }
        return false;
    }

    private boolean hasLabels(Map<String, String> labels) {
        for (String wanted : values.getOrDefault("label", Set.of())) {
            int equals = wanted.indexOf('=');
            String key = equals < 0 ? wanted : wanted.substring(0, equals);
            if (!labels.containsKey(key) || (equals >= 0 && !wanted.substring(equals + 1).equals(labels.get(key)))) {
                return false;
            }
        }
        return true;
    }
}
