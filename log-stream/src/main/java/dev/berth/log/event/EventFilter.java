package dev.berth.log.event;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.event.Event;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * dockerd's event filters, with its meaning: every key given must match. {@code type},
 * {@code scope} match exactly; {@code event} exactly, or by prefix when a value is one of the
 * actions that carry a suffix (exec_create, exec_start, health_status); {@code container},
 * {@code network}, {@code volume} and the other object kinds match an event of that kind by id
 * or name, by prefix; {@code image} matches an image event's id or name, or a container's
 * image, with or without its tag; {@code label} matches attributes, "key" or "key=value". An
 * unknown key is refused rather than ignored.
 */
public final class EventFilter {
    private static final Set<String> KEYS = Set.of("type", "event", "container", "image", "network", "volume", "label",
            "daemon", "plugin", "node", "service", "secret", "config", "scope");
    private static final Set<String> SUFFIXED_ACTIONS = Set.of("exec_create", "exec_start", "health_status");
    private static final List<String> NAMED_KINDS = List.of("container", "network", "volume", "daemon", "plugin", "node",
            "service", "secret", "config");

    private final Map<String, List<String>> filters;

    private EventFilter(Map<String, List<String>> filters) {
        this.filters = filters;
    }

    public static EventFilter of(Map<String, List<String>> filters) {
        for (String key : filters.keySet()) {
            if (!KEYS.contains(key)) {
                throw EngineException.invalid("invalid filter '" + key + "'");
            }
        }
        return new EventFilter(Map.copyOf(filters));
    }

    public boolean matches(Event event) {
        Map<String, String> attributes = event.actor().attributes();
        if (!matchesAction(event.action()) || !exact("type", event.type()) || !exact("scope", event.scope())) {
            return false;
        }
        for (String kind : NAMED_KINDS) {
            if (!values(kind).isEmpty() && !(kind.equals(event.type())
                    && (fuzzy(kind, event.actor().id()) || fuzzy(kind, attributes.get("name"))))) {
                return false;
            }
        }
        return matchesImage(event) && matchesLabels(attributes);
    }

    private boolean matchesAction(String action) {
        List<String> events = values("event");
        if (events.stream().anyMatch(SUFFIXED_ACTIONS::contains)) {
            return fuzzy("event", action);
        }
        return exact("event", action);
    }

    private boolean matchesImage(Event event) {
        if (values("image").isEmpty()) {
            return true;
        }
        String id = event.actor().id();
        String name = event.actor().attributes().get("image".equals(event.type()) ? "name" : "image");
        return exact("image", id) || exact("image", name) || exact("image", withoutTag(id)) || exact("image", withoutTag(name));
    }

    private boolean matchesLabels(Map<String, String> attributes) {
        for (String label : values("label")) {
            int equals = label.indexOf('=');
            String key = equals < 0 ? label : label.substring(0, equals);
            String value = attributes.get(key);
            if (value == null || equals >= 0 && !value.equals(label.substring(equals + 1))) {
                return false;
            }
        }
        return true;
    }

    private List<String> values(String key) {
        return filters.getOrDefault(key, List.of());
    }

    /** True when the key is not given, or one of its values is the source. */
    private boolean exact(String key, String source) {
        List<String> values = values(key);
        return values.isEmpty() || source != null && values.contains(source);
    }

    /** {@link #exact}, or one of the values is a prefix of the source. */
    private boolean fuzzy(String key, String source) {
        return exact(key, source) || source != null && values(key).stream().anyMatch(source::startsWith);
    }

    /** An image reference's repository: "busybox:1.36" and "busybox@sha256:…" are "busybox". */
    static String withoutTag(String image) {
        if (image == null) {
            return null;
        }
        int at = image.indexOf('@');
        String name = at < 0 ? image : image.substring(0, at);
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
    }
}
