package dev.berth.bus;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Something that happened, in `docker events` vocabulary: type container|image|network|volume,
 * actions such as create, start, die, destroy, tag, load.
 */
public record EngineEvent(String type, String action, String actorId, Map<String, String> attributes, long timeNanos) {
    public EngineEvent {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public static EngineEvent now(String type, String action, String actorId, Map<String, String> attributes) {
        java.time.Instant now = java.time.Instant.now();
        return new EngineEvent(type, action, actorId, attributes, now.getEpochSecond() * 1_000_000_000L + now.getNano());
    }

    public JsonObject toJson() {
        JsonObject attrs = new JsonObject();
        attributes.forEach(attrs::put);
        return new JsonObject().put("type", type).put("action", action).put("id", actorId)
                .put("attributes", attrs).put("timeNano", timeNanos);
    }

    public static EngineEvent fromJson(JsonObject json) {
        Map<String, String> attrs = new java.util.LinkedHashMap<>();
        json.getJsonObject("attributes", new JsonObject()).forEach(e -> attrs.put(e.getKey(), String.valueOf(e.getValue())));
        return new EngineEvent(json.getString("type"), json.getString("action"), json.getString("id"), attrs,
                json.getLong("timeNano", 0L));
    }
}
