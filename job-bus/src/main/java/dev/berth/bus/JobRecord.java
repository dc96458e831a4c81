package dev.berth.bus;

import io.vertx.core.json.JsonObject;

/** A finished job as the bus logged it. */
public record JobRecord(String id, String type, String node, long startedAtMillis, long durationMicros, String outcome) {
    public JsonObject toJson() {
        return new JsonObject().put("Id", id).put("Type", type).put("Node", node)
                .put("StartedAt", java.time.Instant.ofEpochMilli(startedAtMillis).toString())
                .put("DurationMicros", durationMicros).put("Outcome", outcome);
    }
}
