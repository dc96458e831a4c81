package dev.berth.exec.container;

import dev.berth.bus.contract.container.ContainerConfig;
import dev.berth.bus.contract.container.ContainerConfig.HealthConfig;
import dev.berth.bus.contract.container.ContainerHealth;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the health checks of running containers on their schedule ({@link HealthState}). A tick a
 * few times a second looks at the running containers in memory, so checks begin with any start
 * (docker start, a restart policy, berthd's restore) and stop with any exit without hooks in the
 * lifecycle: a probe that ends after its container stopped or restarted is dropped. Probes run
 * through the exec path ({@link Prober}); a change of status is a "health_status: …" event.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);
    private static final long TICK_MILLIS = 200;

    /** Runs a command in a running container, ending it after the timeout. */
    @FunctionalInterface
    public interface Prober {
        CompletableFuture<ProbeOutcome> probe(Container c, List<String> command, long timeoutNanos);
    }

    /** A probe's exit code and output, or that it timed out. */
    public record ProbeOutcome(int exitCode, String output, boolean timedOut) {
    }

    private final ContainerRegistry registry;
    private final ContainerLifecycle lifecycle;
    private final Prober prober;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "berth-health");
        t.setDaemon(true);
        return t;
    });

    public HealthMonitor(ContainerRegistry registry, ContainerLifecycle lifecycle, Prober prober) {
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.prober = prober;
    }

    public void start() {
        ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            for (Container c : registry.all()) {
                HealthConfig config = c.config().healthcheck();
                if (config == null || config.disablesChecks() || c.status() != Status.RUNNING) {
                    continue;
                }
                String run = c.startedAt();
                HealthState health = c.health();
                if (health != null && health.belongsTo(run) && health.claimProbe(now)) {
                    probe(c, run, health, command(c.config(), config));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("health checks: {}", e.toString());
        }
    }

    private void probe(Container c, String run, HealthState health, List<String> command) {
        long startNanos = System.nanoTime();
        String start = Instant.now().toString();
        CompletableFuture<ProbeOutcome> outcome;
        try {
            outcome = prober.probe(c, command, health.timeoutNanos());
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((result, failure) -> {
            long end = System.nanoTime();
            if (c.status() != Status.RUNNING || !run.equals(c.startedAt()) || c.health() != health) {
                health.probeAbandoned(end);
                return;
            }
            ContainerHealth.Probe probe;
            if (failure != null) {
                probe = new ContainerHealth.Probe(start, Instant.now().toString(), -1, dev.berth.bus.EngineException.from(failure).getMessage());
            } else if (result.timedOut()) {
                probe = new ContainerHealth.Probe(start, Instant.now().toString(), -1,
                        "Health check exceeded timeout (" + goDuration(health.timeoutNanos()) + ")");
            } else {
                probe = new ContainerHealth.Probe(start, Instant.now().toString(), result.exitCode(), result.output());
            }
            String changed = health.record(probe, startNanos, end);
            if (changed != null) {
                lifecycle.publish(c, "health_status: " + changed, Map.of());
            }
        });
    }

    /** CMD runs its arguments; CMD-SHELL its one string with the container's shell, /bin/sh -c by default. */
    static List<String> command(ContainerConfig config, HealthConfig health) {
        List<String> test = health.test();
        String kind = test.get(0);
        if ("CMD-SHELL".equals(kind)) {
            List<String> command = new ArrayList<>(config.shell() == null || config.shell().isEmpty()
                    ? List.of("/bin/sh", "-c") : config.shell());
            command.add(String.join(" ", test.subList(1, test.size())));
            return command;
        }
        if ("CMD".equals(kind)) {
            return List.copyOf(test.subList(1, test.size()));
        }
        // dockerd takes an unknown kind as a command of its own, as CMD.
        return List.copyOf(test);
    }

    /** Go's time.Duration text for whole seconds or milliseconds, as dockerd's timeout message shows. */
    static String goDuration(long nanos) {
        if (nanos % 1_000_000_000L == 0) {
            long seconds = nanos / 1_000_000_000L;
            if (seconds < 60) {
                return seconds + "s";
            }
            long minutes = seconds / 60;
            return (minutes >= 60 ? (minutes / 60) + "h" + (minutes % 60) + "m" : minutes + "m") + (seconds % 60) + "s";
        }
        if (nanos < 1_000_000_000L && nanos % 1_000_000L == 0) {
            return (nanos / 1_000_000L) + "ms";
        }
        return String.format(java.util.Locale.ROOT, "%ss", new java.math.BigDecimal(nanos).movePointLeft(9).stripTrailingZeros().toPlainString());
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
