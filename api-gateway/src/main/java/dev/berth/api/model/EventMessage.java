package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.bus.contract.event.Event;
import java.util.Map;

/**
 * One message of {@code GET /events}, Docker's events.Message. The deprecated status, id and
 * from are filled for container and image events only, as dockerd fills them for API 1.51.
 * {@code node} and {@code seq} are Berth's additions: where the event happened, and its place in
 * that journal (the CLI ignores fields it does not know; {@code --format '{{json .}}'} shows them).
 */
public record EventMessage(
        @JsonProperty("status") String status,
        @JsonProperty("id") String id,
        @JsonProperty("from") String from,
        @JsonProperty("Type") String type,
        @JsonProperty("Action") String action,
        @JsonProperty("Actor") EventActor actor,
        @JsonProperty("scope") String scope,
        @JsonProperty("time") long time,
        @JsonProperty("timeNano") long timeNano,
        @JsonProperty("node") String node,
        @JsonProperty("seq") long seq) {

    public record EventActor(@JsonProperty("ID") String id, @JsonProperty("Attributes") Map<String, String> attributes) {
    }

    public static EventMessage of(Event event) {
        boolean legacy = "container".equals(event.type()) || "image".equals(event.type());
        String from = "container".equals(event.type()) ? event.actor().attributes().get("image") : null;
        return new EventMessage(legacy ? event.action() : null, legacy ? event.actor().id() : null, from, event.type(),
                event.action(), new EventActor(event.actor().id(), new java.util.TreeMap<>(event.actor().attributes())),
                event.scope(), event.timeNano() / 1_000_000_000L, event.timeNano(), event.node(), event.sequence());
    }
}
