package dev.berth.bus.contract.container;

/** container.attach: which of the container's streams the caller wants. */
public record AttachContainer(String ref, boolean stdin, boolean stdout, boolean stderr) {
}
