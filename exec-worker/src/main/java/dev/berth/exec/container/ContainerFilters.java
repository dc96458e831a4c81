package dev.berth.exec.container;

import dev.berth.bus.EngineException;
import dev.berth.exec.volume.MountSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * `docker ps --filter`: which containers a filter set keeps, with every key dockerd documents for
 * GET /containers/json. Values of one key are alternatives; keys must all match. Keys about
 * things Berth containers cannot have yet answer as dockerd does for a container without them:
 * none is a swarm task, and isolation means nothing on
 * Linux.
 */
public final class ContainerFilters {
    private static final Set<String> KNOWN = Set.of("id", "name", "status", "label", "ancestor", "exited", "before", "since",
            "network", "volume", "health", "is-task", "publish", "expose", "isolation");
    private static final Set<String> STATUSES = Set.of("created", "restarting", "running", "removing", "paused", "exited", "dead");
    private static final Set<String> HEALTH = Set.of("starting", "healthy", "unhealthy", "none");
    private static final Pattern PORT_RANGE = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?(?:/(tcp|udp|sctp))?");

    private final Map<String, List<String>> filters;
    private final Function<String, String> imageIdOf;
    private final Container before;
    private final Container since;

    /**
     * @param filters {key: [values]}
     * @param imageIdOf image reference → image id, or null when unknown
     * @param containerOf container reference → container, or null
     */
    public ContainerFilters(Map<String, List<String>> filters, Function<String, String> imageIdOf,
            Function<String, Container> containerOf) {
        this.filters = filters == null ? Map.of() : filters;
        this.imageIdOf = imageIdOf;
        for (String key : this.filters.keySet()) {
            if (!KNOWN.contains(key)) {
                throw EngineException.invalid("invalid filter '" + key + "'");
            }
        }
        checkValues("status", STATUSES::contains);
        checkValues("health", HEALTH::contains);
        checkValues("is-task", v -> v.equals("true") || v.equals("false"));
        checkValues("exited", v -> v.matches("-?\\d{1,9}"));
        checkValues("publish", v -> PORT_RANGE.matcher(v).matches());
        checkValues("expose", v -> PORT_RANGE.matcher(v).matches());
        this.before = referenced("before", containerOf);
        this.since = referenced("since", containerOf);
    }

    private void checkValues(String key, Predicate<String> valid) {
        for (String value : values(key)) {
            if (!valid.test(value)) {
                throw EngineException.invalid("invalid filter '" + key + "=" + value + "'");
            }
        }
    }

    /** before= and since= name a container that must exist, as with dockerd (404 otherwise). */
    private Container referenced(String key, Function<String, Container> containerOf) {
        Container found = null;
        for (String ref : values(key)) {
            found = containerOf.apply(ref);
            if (found == null) {
                throw EngineException.notFound("No such container: " + ref);
            }
        }
        return found;
    }

    private List<String> values(String key) {
        List<String> values = filters.get(key);
        return values == null ? List.of() : values;
    }

    /** Whether stopped containers are listed without --all: a status, before or since filter asks for them. */
    public boolean includesStopped() {
        return !values("status").isEmpty() || before != null || since != null;
    }

    /** Whether any value of a filter key matches; an absent key matches everything. */
    private boolean any(String key, Predicate<String> test) {
        List<String> wanted = values(key);
        return wanted.isEmpty() || wanted.stream().anyMatch(test);
    }

    public boolean keeps(Container c) {
        return any("id", v -> matches(c.id(), v))
                && any("name", v -> matches("/" + c.name(), v))
                && any("status", v -> v.equals(c.status().dockerName()))
                && any("label", v -> labelMatches(c.labels(), v))
                && any("exited", v -> !c.isRunning() && c.status() == Status.EXITED && Integer.parseInt(v) == c.exitCode())
                && any("ancestor", v -> ancestorMatches(c, v))
                && (before == null || c.created().isBefore(before.created()))
                && (since == null || c.created().isAfter(since.created()))
                && any("network", v -> onNetwork(c, v))
                && any("health", v -> v.equals(healthStatus(c)))
                && any("is-task", "false"::equals)
                && any("expose", v -> exposes(c, v))
                && any("publish", v -> publishes(c, v))
                && any("volume", v -> c.mounts().stream().filter(MountSpec::shown).anyMatch(m -> v.equals(m.destination())
                        || v.equals(m.isVolume() ? m.name() : m.source())))
                && any("isolation", v -> true);
    }

    /** Docker matches id and name filters as unanchored regular expressions (name against "/name"). */
    private static boolean matches(String value, String pattern) {
        try {
            return Pattern.compile(pattern).matcher(value).find();
        } catch (PatternSyntaxException e) {
            return value.contains(pattern);
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
        if (c.imageRef().equals(reference) || c.imageId().equals(reference) || c.imageId().equals("sha256:" + reference)
                || (reference.length() >= 4 && c.imageId().startsWith("sha256:" + reference))) {
            return true;
        }
        String id = imageIdOf.apply(reference);
        return id != null && id.equals(c.imageId());
    }

    /** The network a container is on, by name; a container sharing another's namespace is on none of its own. */
    /** network=name or id: any network the container joins, docker network connect's ones too. */
    private static boolean onNetwork(Container c, String network) {
        return ContainerNetworks.joined(c).containsKey(network)
                || c.isRunning() && c.endpoints().stream().anyMatch(e -> e.networkId().equals(network) || e.networkName().equals(network));
    }

    /** publish=port[-end][/proto]: a host port published to the running container, as dockerd matches PublicPort. */
    private static boolean publishes(Container c, String filter) {
        var matcher = PORT_RANGE.matcher(filter);
        if (!matcher.matches()) {
            return false;
        }
        int low = Integer.parseInt(matcher.group(1));
        int high = matcher.group(2) == null ? low : Integer.parseInt(matcher.group(2));
        String protocol = matcher.group(3) == null ? "tcp" : matcher.group(3);
        return c.endpoints().stream().flatMap(e -> e.ports().stream())
                .anyMatch(p -> p.hostPort() >= low && p.hostPort() <= high && p.protocol().equals(protocol));
    }

    /** expose=port[-end][/proto]: a port the container exposes, tcp unless said otherwise. */
    private static boolean exposes(Container c, String filter) {
        var matcher = PORT_RANGE.matcher(filter);
        if (!matcher.matches() || c.config().exposedPorts() == null) {
            return false;
        }
        int low = Integer.parseInt(matcher.group(1));
        int high = matcher.group(2) == null ? low : Integer.parseInt(matcher.group(2));
        String protocol = matcher.group(3) == null ? "tcp" : matcher.group(3);
        for (String exposed : c.config().exposedPorts().keySet()) {
            int slash = exposed.indexOf('/');
            String portText = slash < 0 ? exposed : exposed.substring(0, slash);
            String exposedProtocol = slash < 0 ? "tcp" : exposed.substring(slash + 1);
            try {
                int port = Integer.parseInt(portText);
                if (port >= low && port <= high && exposedProtocol.equals(protocol)) {
                    return true;
                }
            } catch (NumberFormatException e) {
                // a range such as "8000-8010/tcp" in Config: not a single port, not matched here
            }
        }
        return false;
    }

    /**
     * dockerd's health word for the filter: "none" while the container has no health state (no
     * check, or never started with one), else its last status.
     */
    static String healthStatus(Container c) {
        HealthState health = c.health();
        return health == null ? "none" : health.status();
    }
}
