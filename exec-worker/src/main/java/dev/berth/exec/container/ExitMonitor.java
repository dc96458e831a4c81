package dev.berth.exec.container;

import dev.berth.exec.runtime.ExitWatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns conmon's exit reports into the end of a run: the runtime's state, the root file system
 * and the network sandbox are released, the exit is recorded and announced (`die`), waiters are
 * told, and a `--rm` container is removed. Exits are handled in the container's serial order,
 * so a start that is still finishing is recorded before its exit.
 */
final class ExitMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(ExitMonitor.class);

    private final LifecycleContext context;
    private final ContainerRemover remover;
    private final RestartPolicies restarts;

    ExitMonitor(LifecycleContext context, ContainerRemover remover, RestartPolicies restarts) {
        this.context = context;
        this.remover = remover;
        this.restarts = restarts;
    }

    /** conmon reported an exit (from the exit directory's watcher thread). */
    void onExit(String id, int exitCode) {
        Container c = context.registry.find(id);
        if (c == null) {
            deleteExitFile(id);
            return;
        }
        exited(c, exitCode).whenComplete((v, failure) -> {
            if (failure != null) {
                LOG.warn("handling the exit of {} failed: {}", id, failure.toString());
            }
        });
    }

    /** Ends the container's run with the exit code, unless it is not running. */
    CompletableFuture<Void> exited(Container c, int exitCode) {
        return c.serially(context.blocking, () -> {
            // A container waiting for its policy's restart has no process: an exit reported twice
            // (the watcher and the restore both read the file) must not end it again.
            if (c.status() != Status.RUNNING && c.status() != Status.PAUSED) {
                deleteExitFile(c.id());
                return CompletableFuture.completedFuture(null);
            }
            boolean oom = Files.exists(context.bundle(c).resolve("persist").resolve("oom"))
                    || OomKills.counted(Path.of("/sys/fs/cgroup"), context.settings.cgroupParent(), c.id(),
                            dev.berth.host.HostFacts.cgroupMode() == dev.berth.host.HostFacts.CgroupMode.UNIFIED);
            boolean ownsSandbox = c.ownsSandbox();
            deleteRuntimeState(c.id());
            return release(c.id(), ownsSandbox).thenRunAsync(() -> {
                // Announced before waiters hear of the exit: dockerd's stop shows kill, die, then stop.
                c.markExited(exitCode, oom, null, () -> {
                    context.persist(c);
                    deleteExitFile(c.id());
                    context.volumes.unmountedBy(c.id(), c.mounts());
                    if (oom) {
                        // dockerd hears of the OOM kill before the exit, and says so first.
                        context.publish(c, "oom", Map.of());
                    }
                    context.publish(c, "die", Map.of("exitCode", Integer.toString(exitCode)));
                });
                if (c.autoRemove()) {
                    remover.removeLater(c);
                } else {
                    restarts.afterExit(c, exitCode);
                }
            }, context.blocking);
        });
    }

    /** Unmounts the root file system and removes the sandbox; failures are logged, not fatal. */
    CompletableFuture<Void> release(String id, boolean ownsSandbox) {
        CompletableFuture<Void> unmounted = context.peers.unmountSnapshot(id).handle((v, failure) -> {
            if (failure != null) {
                LOG.warn("cannot unmount the root file system of {}: {}", id, failure.getMessage());
            }
            return null;
        });
        if (!ownsSandbox) {
            return unmounted;
        }
        return unmounted.thenCompose(v -> context.peers.removeSandbox(id)).handle((v, failure) -> {
            if (failure != null) {
                LOG.warn("cannot remove the network sandbox of {}: {}", id, failure.getMessage());
            }
            return null;
        });
    }

    private void deleteRuntimeState(String id) {
        try {
            context.runtime.delete(id, true);
        } catch (IOException | RuntimeException e) {
            LOG.warn("runtime delete of {} failed: {}", id, e.toString());
        }
    }

    void deleteExitFile(String id) {
        try {
            Files.deleteIfExists(context.conmon.exitDir().resolve(id));
        } catch (IOException e) {
            LOG.debug("cannot delete the exit file of {}", id);
        }
    }

    /** The exit code conmon recorded while nobody watched, if any. */
    java.util.OptionalInt recordedExit(String id) {
        Path exitFile = context.conmon.exitDir().resolve(id);
        return ExitWatcher.readExitCode(exitFile);
    }
}
