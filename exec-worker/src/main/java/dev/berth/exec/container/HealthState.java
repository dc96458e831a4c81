package dev.berth.exec.container;

import dev.berth.bus.contract.container.ContainerConfig.HealthConfig;
import dev.berth.bus.contract.container.ContainerHealth;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The health of one run of a container, as dockerd's health monitor keeps it: "starting" until a
 * probe passes, "healthy" after a pass, "unhealthy" after {@code retries} failures in a row; a
 * failure inside the start period while still starting does not count. It also says when the
 * next probe is due: the start interval while inside the start period, else the interval, counted
 * from the end of the previous probe. Times are System.nanoTime values.
 */
public final class HealthState {
    static final int MAX_LOG_ENTRIES = 5;
    static final long DEFAULT_INTERVAL = TimeUnit.SECONDS.toNanos(30);
    static final long DEFAULT_TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    static final long DEFAULT_START_INTERVAL = TimeUnit.SECONDS.toNanos(5);
    static final int DEFAULT_RETRIES = 3;

    private final String runStartedAt;
    private final long runStartNanos;
    private final long interval;
    private final long timeout;
    private final long startPeriod;
    private final long startInterval;
    private final int retries;
    private final Deque<ContainerHealth.Probe> log;
    private String status = ContainerHealth.STARTING;
    private int failingStreak;
    private long nextDueNanos;
    private boolean probing;

    /**
     * A run's health, starting; the log of the previous run carries over, as in dockerd.
     *
     * @param runStartedAt the run's StartedAt, which tells runs apart
     */
    public HealthState(HealthConfig config, String runStartedAt, long nowNanos, HealthState previous) {
        this.runStartedAt = runStartedAt;
        this.runStartNanos = nowNanos;
        this.interval = orDefault(config.interval(), DEFAULT_INTERVAL);
        this.timeout = orDefault(config.timeout(), DEFAULT_TIMEOUT);
        this.startPeriod = orDefault(config.startPeriod(), 0);
        this.startInterval = orDefault(config.startInterval(), DEFAULT_START_INTERVAL);
        this.retries = config.retries() == null || config.retries() <= 0 ? DEFAULT_RETRIES : config.retries();
        this.log = previous == null ? new ArrayDeque<>() : new ArrayDeque<>(previous.logEntries());
        this.nextDueNanos = nowNanos + delayAfter(nowNanos);
    }

    private static long orDefault(Long value, long fallback) {
        return value == null || value <= 0 ? fallback : value;
    }

    public synchronized boolean belongsTo(String startedAt) {
        return runStartedAt.equals(startedAt);
    }

    public long timeoutNanos() {
        return timeout;
    }

    /** True, and the probe counts as running, when one is due and none runs. */
    public synchronized boolean claimProbe(long nowNanos) {
        if (probing || nowNanos < nextDueNanos) {
            return false;
        }
        probing = true;
        return true;
    }

    /** A probe ended without a result to keep (the container stopped meanwhile). */
    public synchronized void probeAbandoned(long nowNanos) {
        probing = false;
        nextDueNanos = nowNanos + delayAfter(nowNanos);
    }

    /**
     * Records a probe's result, which began at {@code probeStartNanos}.
     *
     * @return the new status when it changed, else null
     */
    public synchronized String record(ContainerHealth.Probe probe, long probeStartNanos, long nowNanos) {
        probing = false;
        log.addLast(probe);
        while (log.size() > MAX_LOG_ENTRIES) {
            log.removeFirst();
        }
        String before = status;
        if (probe.exitCode() == 0) {
            failingStreak = 0;
            status = ContainerHealth.HEALTHY;
        } else if (!(ContainerHealth.STARTING.equals(status) && probeStartNanos - runStartNanos < startPeriod)) {
            failingStreak++;
            if (failingStreak >= retries) {
                status = ContainerHealth.UNHEALTHY;
            }
        }
        nextDueNanos = nowNanos + delayAfter(nowNanos);
        return status.equals(before) ? null : status;
    }

    private long delayAfter(long nowNanos) {
        boolean inStartPeriod = ContainerHealth.STARTING.equals(status) && nowNanos - runStartNanos < startPeriod;
        return inStartPeriod ? startInterval : interval;
    }

    public synchronized String status() {
        return status;
    }

    private synchronized List<ContainerHealth.Probe> logEntries() {
        return List.copyOf(log);
    }

    public synchronized ContainerHealth view() {
        return new ContainerHealth(status, failingStreak, List.copyOf(log));
    }
}
