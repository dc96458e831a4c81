package dev.berth.bus.contract.container;

/** container.rename: the container and its new name (with or without the leading slash). */
public record RenameContainer(String ref, String name) {
}
