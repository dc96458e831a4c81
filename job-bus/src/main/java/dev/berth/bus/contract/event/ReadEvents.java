package dev.berth.bus.contract.event;

import java.util.List;
import java.util.Map;

/**
 * Arguments of {@code events.read}.
 *
 * @param since replay the journal's events at or after this time, in unix nanoseconds (0: all
 *     of them), before the live ones; null: live events only
 * @param until end the stream once past this time, in unix nanoseconds; null or 0: never
 * @param filters dockerd's event filters, {key: [values]}: type, event, container, image,
 *     network, volume, label, daemon, plugin, node, service, secret, config, scope
 */
public record ReadEvents(Long since, Long until, Map<String, List<String>> filters) {
    public ReadEvents {
        filters = filters == null ? Map.of() : Map.copyOf(filters);
    }
}
