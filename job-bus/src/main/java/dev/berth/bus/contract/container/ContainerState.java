package dev.berth.bus.contract.container;

/**
 * A container's state as the exec worker reports it. status is Docker's word (created, running,
 * paused, restarting, removing, exited, dead); times are RFC 3339, {@link #ZERO_TIME} when unset.
 * health is null for a container without a health check or that never ran with one.
 */
public record ContainerState(String status, boolean running, boolean paused, boolean restarting, boolean oomKilled,
        boolean dead, int pid, int exitCode, String error, String startedAt, String finishedAt,
        ContainerHealth health) {
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";
}
