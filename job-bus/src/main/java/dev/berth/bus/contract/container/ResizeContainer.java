package dev.berth.bus.contract.container;

/** container.resize: the terminal size, in characters. */
public record ResizeContainer(String ref, int height, int width) {
}
