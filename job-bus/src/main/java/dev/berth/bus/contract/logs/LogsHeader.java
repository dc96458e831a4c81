package dev.berth.bus.contract.logs;

/**
 * What the log worker accepts a {@code logs.read} with, before any line: whether the container
 * has a TTY, so that the caller knows whether to frame the output (a TTY's output is one raw
 * stream).
 */
public record LogsHeader(boolean tty) {
}
