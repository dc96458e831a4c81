package dev.berth.bus.contract.container;

/** exec.resize: the terminal size of an exec instance, in characters. */
public record ResizeExec(String id, int height, int width) {
}
