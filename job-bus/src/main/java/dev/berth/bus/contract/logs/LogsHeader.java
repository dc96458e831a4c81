package dev.berth.bus.contract.logs;

import java.util.Map;

/**
 * What the log worker accepts a {@code logs.read} with, before any line: whether the container
 * has a TTY, so that the caller knows whether to frame the output (a TTY's output is one raw
 * stream), and the log's extra attributes, the labels and environment variables its log options
 * ({@code labels}, {@code labels-regex}, {@code env}, {@code env-regex}) name, which
 * {@code docker logs --details} shows before each line.
 */
public record LogsHeader(boolean tty, Map<String, String> attributes) {
    public LogsHeader {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public LogsHeader(boolean tty) {
        this(tty, Map.of());
    }
}
