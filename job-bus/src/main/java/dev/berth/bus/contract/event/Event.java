package dev.berth.bus.contract.event;

import java.util.Map;

/**
 * One event as the journal keeps it and as {@code events.read} streams it: what happened
 * ({@code type}, {@code action}) to which object ({@code actor}), where ({@code scope}, always
 * "local" until Berth has cluster-wide objects; {@code node}), when ({@code timeNano}, unix
 * nanoseconds), and its place in the journal ({@code sequence}, increasing by one per event,
 * so a reader can tell that it missed some). The gateway renders Docker's JSON from it.
 */
public record Event(String type, String action, Actor actor, String scope, long timeNano, String node, long sequence) {
    /** The object an event is about: its id, and its attributes (name, image, exitCode, signal, labels …). */
    public record Actor(String id, Map<String, String> attributes) {
        public Actor {
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }
    }
}
