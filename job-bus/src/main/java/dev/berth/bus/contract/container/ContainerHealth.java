package dev.berth.bus.contract.container;

import java.util.List;

/**
 * State.Health of a container with a health check: "starting", "healthy" or "unhealthy", how many
 * probes in a row failed, and the last probes' results (oldest first). Times are RFC 3339.
 */
public record ContainerHealth(String status, int failingStreak, List<Probe> log) {
    public static final String STARTING = "starting";
    public static final String HEALTHY = "healthy";
    public static final String UNHEALTHY = "unhealthy";

    /** One probe: when it ran, its exit code (-1 when it timed out or could not run) and its output. */
    public record Probe(String start, String end, int exitCode, String output) {
    }
}
