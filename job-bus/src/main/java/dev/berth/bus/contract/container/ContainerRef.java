package dev.berth.bus.contract.container;

/** The arguments of a job about one container (start, inspect): ref is a full or short id, or a name. */
public record ContainerRef(String ref) {
}
