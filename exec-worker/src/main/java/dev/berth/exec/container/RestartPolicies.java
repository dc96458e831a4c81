package dev.berth.exec.container;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.container.HostConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restart policies as dockerd's restart manager applies them: `always`, `unless-stopped` (not
 * after a user's stop), `on-failure[:N]` (a non-zero exit, at most N restarts), `no`. Restarts
 * back off from 100 ms, doubling up to a minute, and start again from 100 ms after a run of
 * 10 s or more. While it waits the container is "restarting"; a stop, kill or removal calls the
 * restart off.
 */
final class RestartPolicies {
    private static final Logger LOG = LoggerFactory.getLogger(RestartPolicies.class);
    static final long FIRST_DELAY_MILLIS = 100;
    static final long MAX_DELAY_MILLIS = 60_000;
    static final Duration RESET_AFTER = Duration.ofSeconds(10);

    private final LifecycleContext context;
    private ContainerStarter starter;

    RestartPolicies(LifecycleContext context) {
        this.context = context;
    }

    void starter(ContainerStarter containerStarter) {
        this.starter = containerStarter;
    }

    /** Whether the policy restarts a container that ended with this code (dockerd's ShouldRestart). */
    static boolean shouldRestart(HostConfig hostConfig, int restartCount, int exitCode, boolean manuallyStopped) {
        String policy = hostConfig.restartPolicyName();
        switch (policy) {
            case "always":
                return true;
            case "unless-stopped":
                return !manuallyStopped;
            case "on-failure":
                Integer max = hostConfig.restartPolicy().maximumRetryCount();
                return exitCode != 0 && (max == null || max <= 0 || restartCount < max);
            default:
                return false;
        }
    }

    /** The next back-off: 100 ms after a run of 10 s or more, else twice the last, at most a minute. */
    static long nextDelay(long lastDelay, Duration ranFor) {
        long last = ranFor.compareTo(RESET_AFTER) >= 0 ? 0 : lastDelay;
        return last == 0 ? FIRST_DELAY_MILLIS : Math.min(last * 2, MAX_DELAY_MILLIS);
    }

    /** After an exit recorded by the exit monitor, in the container's serial order: schedules a restart if the policy says so. */
    void afterExit(Container c, int exitCode) {
        if (c.manuallyStopped() || c.status() != Status.EXITED
                || !shouldRestart(c.hostConfig(), c.restartCount(), exitCode, c.manuallyStopped())) {
            return;
        }
        schedule(c);
    }

    private void schedule(Container c) {
        long delay = nextDelay(c.restartDelayMillis(), ranFor(c));
        c.restartDelayMillis(delay);
        c.markRestarting();
        context.persist(c);
        LOG.info("restarting container {} in {} ms (policy {}, restart {})", c.id(), delay, c.hostConfig().restartPolicyName(),
                c.restartCount());
        CompletableFuture.runAsync(() -> restartNow(c), CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS,
                context.blocking)).whenComplete((v, failure) -> {
                    if (failure != null) {
                        // Nobody else holds this future: without this line the container would sit in
                        // "restarting" with no trace of why.
                        LOG.error("the planned restart of {} failed", c.id(), failure);
                    }
                });
    }

    /** Starts a container whose restart is due (or was pending when berthd stopped). */
    void restartNow(Container c) {
        if (c.status() != Status.RESTARTING || context.registry.find(c.id()) != c) {
            return;
        }
        starter.startForPolicy(c).whenComplete((v, failure) -> {
            if (failure == null) {
                return;
            }
            c.serially(context.blocking, () -> context.blocking(() -> {
                if (c.status() != Status.RESTARTING) {
                    return null;
                }
                c.cancelRestart();
                int code = c.exitCode();
                LOG.info("restart of {} failed: {}", c.id(), EngineException.from(failure).getMessage());
                if (shouldRestart(c.hostConfig(), c.restartCount(), code, false)) {
                    schedule(c);
                } else {
                    context.persist(c);
                }
                return null;
            }));
        });
    }

    /**
     * At berthd's start, dockerd's rule for containers that are not running: `always` starts
     * again even after a user's stop, `unless-stopped` unless stopped by a user, `on-failure`
     * after a failure with retries left; a restart that was waiting goes ahead.
     */
    void afterDaemonRestart(Container c) {
        if (c.status() == Status.RESTARTING) {
            restartNow(c);
            return;
        }
        if (c.status() != Status.EXITED) {
            return;
        }
        String policy = c.hostConfig().restartPolicyName();
        boolean restart = policy.equals("always")
                || (!c.manuallyStopped() && shouldRestart(c.hostConfig(), c.restartCount(), c.exitCode(), false));
        if (restart) {
            c.serially(context.blocking, () -> context.blocking(() -> {
                if (c.status() == Status.EXITED) {
                    c.markManuallyStopped(false);
                    schedule(c);
                }
                return null;
            }));
        }
    }

    private static Duration ranFor(Container c) {
        try {
            return Duration.between(Instant.parse(c.startedAt()), Instant.parse(c.finishedAt()));
        } catch (DateTimeParseException | NullPointerException e) {
            return Duration.ZERO;
        }
    }
}
