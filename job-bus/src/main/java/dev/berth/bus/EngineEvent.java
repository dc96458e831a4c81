package dev.berth.bus;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Something that happened, in `docker events` vocabulary: type container|image|network|volume,
 * actions such as create, start, die, destroy, tag, load. What a worker hands to
 * {@link JobBus#publish}; the bus stamps the node it happened on when the publisher did not, and
 * the log worker's journal gives it a sequence number ({@code dev.berth.bus.contract.event.Event}).
 *
 * @param node the node the event happened on; null until the bus stamps it
 */
public record EngineEvent(String type, String action, String actorId, Map<String, String> attributes, long timeNanos,
        String node) {
    public EngineEvent {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public EngineEvent(String type, String action, String actorId, Map<String, String> attributes, long timeNanos) {
        this(type, action, actorId, attributes, timeNanos, null);
    }

    public static EngineEvent now(String type, String action, String actorId, Map<String, String> attributes) {
        java.time.Instant now = java.time.Instant.now();
        return new EngineEvent(type, action, actorId, attributes, now.getEpochSecond() * 1_000_000_000L + now.getNano());
    }

    /** This event as it happened on {@code name}, unless it already names its node. */
    public EngineEvent onNode(String name) {
        return node != null ? this : new EngineEvent(type, action, actorId, attributes, timeNanos, name);
    }

    public JsonObject toJson() {
        JsonObject attrs = new JsonObject();
        attributes.forEach(attrs::put);
        JsonObject json = new JsonObject().put("type", type).put("action", action).put("id", actorId)
                .put("attributes", attrs).put("timeNano", timeNanos);
        return node == null ? json : json.put("node", node);
    }

    public static EngineEvent fromJson(JsonObject json) {
        Map<String, String> attrs = new java.util.LinkedHashMap<>();
        json.getJsonObject("attributes", new JsonObject()).forEach(e -> attrs.put(e.getKey(), String.valueOf(e.getValue())));
        return new EngineEvent(json.getString("type"), json.getString("action"), json.getString("id"), attrs,
                json.getLong("timeNano", 0L), json.getString("node"));
    }
}
