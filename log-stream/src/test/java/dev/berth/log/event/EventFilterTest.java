package dev.berth.log.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.event.Event;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each key with dockerd's meaning. */
class EventFilterTest {
    private static final Event START = event("container", "start", "abcdef123", Map.of("name", "web", "image", "busybox:1.36",
            "com.example.tier", "front"));
    private static final Event EXEC = event("container", "exec_start: sh -c true", "abcdef123", Map.of("name", "web"));
    private static final Event TAG = event("image", "tag", "sha256:0123", Map.of("name", "busybox:latest"));
    private static final Event CONNECT = event("network", "connect", "net456", Map.of("name", "backend", "container", "abcdef123"));

    private static Event event(String type, String action, String id, Map<String, String> attributes) {
        return new Event(type, action, new Event.Actor(id, attributes), "local", 1, "n1", 1);
    }

    private static boolean matches(Map<String, List<String>> filters, Event event) {
        return EventFilter.of(filters).matches(event);
    }

    @Test
    void noFiltersTakeEverything() {
        assertThat(List.of(START, EXEC, TAG, CONNECT)).allMatch(e -> matches(Map.of(), e));
    }

    @Test
    void typeAndEventMatchExactlyExceptActionsWithASuffix() {
        assertThat(matches(Map.of("type", List.of("image", "network")), TAG)).isTrue();
        assertThat(matches(Map.of("type", List.of("image", "network")), START)).isFalse();
        assertThat(matches(Map.of("event", List.of("start")), START)).isTrue();
        assertThat(matches(Map.of("event", List.of("sta")), START)).isFalse();
        assertThat(matches(Map.of("event", List.of("exec_start")), EXEC)).isTrue();
        assertThat(matches(Map.of("event", List.of("start")), EXEC)).isFalse();
    }

    @Test
    void objectsMatchTheirOwnEventsByIdPrefixOrName() {
        assertThat(matches(Map.of("container", List.of("web")), START)).isTrue();
        assertThat(matches(Map.of("container", List.of("abc")), START)).isTrue();
        assertThat(matches(Map.of("container", List.of("other")), START)).isFalse();
        assertThat(matches(Map.of("container", List.of("abc")), CONNECT)).as("a network event is not the container's").isFalse();
        assertThat(matches(Map.of("network", List.of("backend")), CONNECT)).isTrue();
        assertThat(matches(Map.of("volume", List.of("data")), START)).isFalse();
    }

    @Test
    void imageMatchesImageEventsAndContainersOfTheImageWithOrWithoutTag() {
        assertThat(matches(Map.of("image", List.of("busybox")), START)).isTrue();
        assertThat(matches(Map.of("image", List.of("busybox:1.36")), START)).isTrue();
        assertThat(matches(Map.of("image", List.of("busybox:latest")), START)).isFalse();
        assertThat(matches(Map.of("image", List.of("busybox")), TAG)).isTrue();
        assertThat(matches(Map.of("image", List.of("sha256:0123")), TAG)).isTrue();
        assertThat(matches(Map.of("image", List.of("alpine")), TAG)).isFalse();
        assertThat(EventFilter.withoutTag("localhost:5000/a/b:2")).isEqualTo("localhost:5000/a/b");
        assertThat(EventFilter.withoutTag("localhost:5000/a/b")).isEqualTo("localhost:5000/a/b");
    }

    @Test
    void labelsMatchByKeyOrKeyAndValueAndAllMustMatch() {
        assertThat(matches(Map.of("label", List.of("com.example.tier")), START)).isTrue();
        assertThat(matches(Map.of("label", List.of("com.example.tier=front")), START)).isTrue();
        assertThat(matches(Map.of("label", List.of("com.example.tier=back")), START)).isFalse();
        assertThat(matches(Map.of("label", List.of("com.example.tier", "other")), START)).isFalse();
        assertThat(matches(Map.of("label", List.of("com.example.tier")), TAG)).isFalse();
    }

    @Test
    void anUnknownKeyIsRefused() {
        assertThatThrownBy(() -> EventFilter.of(Map.of("colour", List.of("red"))))
                .isInstanceOf(EngineException.class).hasMessage("invalid filter 'colour'");
    }
}
