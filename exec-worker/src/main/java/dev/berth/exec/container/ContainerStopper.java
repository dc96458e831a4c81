package dev.berth.exec.container;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.exec.oci.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals containers and waits for their exits as futures: a stop with a long timeout holds no
 * thread, so any number of them never keep queries waiting.
 */
final class ContainerStopper {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerStopper.class);
    private static final int DEFAULT_STOP_TIMEOUT = 10;
    static final long KILL_WAIT_SECONDS = 30;

    private final LifecycleContext context;
    private final ContainerPauser pauser;

    ContainerStopper(LifecycleContext context, ContainerPauser pauser) {
        this.context = context;
        this.pauser = pauser;
    }

    /** SIGTERM (or the container's stop signal), then SIGKILL once the timeout has passed. */
    CompletableFuture<Void> stop(Container c, Integer timeoutSeconds, String signal) {
        c.markManuallyStopped(true);
        if (c.status() == Status.RESTARTING) {
            return callOffRestart(c);
        }
        if (!c.isRunning()) {
            return CompletableFuture.failedFuture(EngineException.notModified("container already stopped"));
        }
        String stopSignal = signal != null && !signal.isEmpty() ? signal : Objects.requireNonNullElse(c.config().stopSignal(), "");
        int number = Signals.parse(stopSignal.isEmpty() ? "SIGTERM" : stopSignal);
        Integer configured = c.config().stopTimeout();
        int timeout = timeoutSeconds != null ? timeoutSeconds : configured != null ? configured : DEFAULT_STOP_TIMEOUT;
        CompletableFuture<Container.ExitReport> exit = c.nextExit();
        return signal(c, number, true)
                .thenCompose(sent -> sent ? exited(exit, timeout < 0 ? -1 : timeout) : CompletableFuture.completedFuture(false))
                .thenCompose(exitedInTime -> {
                    if (exitedInTime) {
                        return CompletableFuture.completedFuture(true);
                    }
                    LOG.info("container {} did not stop within {} s of signal {}; killing it", c.id(), timeout, number);
                    return signal(c, Signals.SIGKILL).thenCompose(sent -> exited(exit, KILL_WAIT_SECONDS));
                })
                .thenAccept(exitedAtLast -> {
                    if (!exitedAtLast) {
                        throw new EngineException(ErrorKind.INTERNAL, "container " + c.id() + " did not exit after SIGKILL");
                    }
                    context.publish(c, "stop", Map.of());
                });
    }

    CompletableFuture<Void> kill(Container c, String signal) {
        int number = Signals.parse(signal == null || signal.isEmpty() ? "SIGKILL" : signal);
        if (c.status() == Status.RESTARTING) {
            c.markManuallyStopped(true);
            return callOffRestart(c);
        }
        if (c.isRunning()) {
            c.markManuallyStopped(true);
        }
        if (!c.isRunning()) {
            return CompletableFuture.failedFuture(notRunning(c));
        }
        CompletableFuture<Container.ExitReport> exit = c.nextExit();
        return signal(c, number).thenCompose(sent -> {
            if (!sent) {
                throw notRunning(c);
            }
            if (number != Signals.SIGKILL) {
                return CompletableFuture.completedFuture(null);
            }
            return exited(exit, KILL_WAIT_SECONDS).thenAccept(exited -> {
                if (!exited) {
                    throw new EngineException(ErrorKind.INTERNAL, "container " + c.id() + " did not exit after SIGKILL");
                }
            });
        });
    }

    /** SIGKILL and the exit, for a forced removal. */
    CompletableFuture<Void> killForRemoval(Container c) {
        // The restart policy must not start it again between the kill and the removal.
        c.markManuallyStopped(true);
        if (c.status() == Status.RESTARTING) {
            return callOffRestart(c);
        }
        CompletableFuture<Container.ExitReport> exit = c.nextExit();
        return signal(c, Signals.SIGKILL).thenCompose(sent -> exited(exit, KILL_WAIT_SECONDS)).thenAccept(exited -> {
            if (!exited) {
                throw new EngineException(ErrorKind.INTERNAL, "could not kill running container " + c.id() + ", cannot remove");
            }
        });
    }

    /** A container waiting for its policy's restart runs nothing: the restart is called off. */
    private CompletableFuture<Void> callOffRestart(Container c) {
        return c.serially(context.blocking, () -> context.blocking(() -> {
            c.cancelRestart();
            context.persist(c);
            return null;
        }));
    }

    private static EngineException notRunning(Container c) {
        return EngineException.conflict("Cannot kill container: " + c.id() + ": container " + c.id() + " is not running");
    }

    /**
     * Whether the runtime delivered the signal; false when the container no longer runs. A
     * paused container is thawed after a stop's signal or SIGKILL, as dockerd does, since frozen
     * processes act on no signal, not even SIGKILL on cgroup v1; other signals wait for unpause.
     */
    private CompletableFuture<Boolean> signal(Container c, int number) {
        return signal(c, number, number == Signals.SIGKILL);
    }

    private CompletableFuture<Boolean> signal(Container c, int number, boolean thawPaused) {
        return context.blocking(() -> {
            try {
                boolean sent = context.runtime.kill(c.id(), number);
                if (sent && thawPaused && c.status() == Status.PAUSED) {
                    pauser.thawAfterKill(c);
                }
                return sent;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).whenComplete((sent, failure) -> publishKill(c, number, sent));
    }

    /** dockerd's "kill" event, for every signal delivered: by docker kill, by a stop, by rm -f. */
    private void publishKill(Container c, int number, Boolean sent) {
        if (Boolean.TRUE.equals(sent)) {
            context.publish(c, "kill", Map.of("signal", Integer.toString(number)));
        }
    }

    /** Completes with true at the exit, or false once the seconds have passed (never, when negative). */
    static CompletableFuture<Boolean> exited(CompletableFuture<Container.ExitReport> exit, long seconds) {
        CompletableFuture<Boolean> outcome = exit.handle((report, failure) -> true);
        return seconds < 0 ? outcome : outcome.completeOnTimeout(false, seconds, TimeUnit.SECONDS);
    }
}
