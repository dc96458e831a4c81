package dev.berth.bus.contract.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineEvent;
import dev.berth.bus.JobCodec;
import dev.berth.bus.Locality;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** events.read's records keep their JSON, and events survive the trip in chunks of lines. */
class EventJobsTest {
    @Test
    void readEventsDecodesItsJsonArguments() {
        assertThat(EventJobTypes.READ.name()).isEqualTo("events.read");
        assertThat(EventJobTypes.READ.streaming()).isTrue();
        assertThat(EventJobTypes.READ.locality()).isEqualTo(Locality.ANY_NODE);
        JsonObject json = new JsonObject().put("since", 5L).put("until", 9L)
                .put("filters", new JsonObject().put("type", new io.vertx.core.json.JsonArray().add("container")));
        ReadEvents args = JobCodec.decode(json, ReadEvents.class);
        assertThat(args).isEqualTo(new ReadEvents(5L, 9L, Map.of("type", List.of("container"))));
        assertThat(JobCodec.encode(args)).isEqualTo(json);
        assertThat(JobCodec.decode(new JsonObject(), ReadEvents.class).filters()).isEmpty();
    }

    @Test
    void eventsTravelAsLinesAndComeBackEqual() {
        Event die = new Event("container", "die", new Event.Actor("abc", Map.of("exitCode", "3", "name", "web\nx")),
                "local", 1_700_000_000_123_456_789L, "n1", 7);
        Event tag = new Event("image", "tag", new Event.Actor("sha256:1", Map.of()), "local", 1L, "n1", 8);
        Buffer chunk = EventLines.append(EventLines.append(Buffer.buffer(), die), tag);
        List<Event> back = new ArrayList<>();
        EventLines.forEach(chunk, back::add);
        assertThat(back).containsExactly(die, tag);
        assertThatThrownBy(() -> EventLines.forEach(chunk.slice(0, chunk.length() - 1), e -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEngineEventKeepsItsNodeOnTheWire() {
        EngineEvent event = EngineEvent.now("network", "create", "n", Map.of("name", "x"));
        assertThat(event.node()).isNull();
        EngineEvent stamped = event.onNode("node-a");
        assertThat(EngineEvent.fromJson(stamped.toJson())).isEqualTo(stamped);
        assertThat(stamped.onNode("node-b").node()).isEqualTo("node-a");
        assertThat(EngineEvent.fromJson(event.toJson()).node()).isNull();
    }
}
