package dev.berth.bus.contract.container;

/**
 * container.attach: which of the container's streams the caller wants.
 *
 * @param detachKeys the keys that detach a TTY session (Docker's format); null or "" for ctrl-p,ctrl-q
 */
public record AttachContainer(String ref, boolean stdin, boolean stdout, boolean stderr, String detachKeys) {
}
