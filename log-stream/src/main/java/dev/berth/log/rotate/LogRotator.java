package dev.berth.log.rotate;

import dev.berth.bus.EngineEvent;
import dev.berth.bus.JobBus;
import dev.berth.bus.contract.container.ContainerJobTypes;
import dev.berth.bus.contract.container.ContainerRef;
import dev.berth.bus.contract.container.ContainerView;
import dev.berth.bus.contract.container.HostConfig;
import dev.berth.bus.contract.container.ListContainers;
import dev.berth.bus.contract.logs.RotationPolicy;
import dev.berth.log.file.FileWatcher;
import dev.berth.log.file.LogRotation;
import dev.berth.log.file.LogWrites;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates the logs of the running containers whose LogConfig sets {@code max-size} (or whose
 * driver is {@code local}, which rotates by default): when the
 * live file has reached it, {@link LogRotation} gives it its rotated name and the exec worker has
 * conmon start a new one ({@link ContainerJobTypes#REOPEN_LOG}). conmon's own
 * {@code --log-size-max} is not used: it replaces the file at the limit, dropping what it held.
 *
 * <p>A container is watched from its {@code start} event (and, at the worker's start, when it
 * is running already) until its {@code die}. The size is checked whenever inotify reports a write,
 * and every second in case it does not; the file therefore outgrows max-size by what the container
 * writes before the check and conmon's reopen: tens of milliseconds' worth on a quiet machine,
 * far more on a loaded one (design.md, "Rotation lag"). Everything but the file work runs on the
 * verticle's context.
 *
 * <p>It also tells {@link LogWrites} which containers run, whatever their policy, and rotates
 * through it, so that what a rotation drops has been counted.
 */
public final class LogRotator {
    private static final Logger LOG = LoggerFactory.getLogger(LogRotator.class);
    static final long SAFETY_POLL_MILLIS = 1000;

    private final JobBus bus;
    private final Context context;
    private final WorkerExecutor pool;
    private final FileWatcher watcher;
    private final LogWrites writes;
    private final Map<String, Watched> watched = new HashMap<>();
    private JobBus.Registration events;

    private final class Watched {
        final String id;
        final Path log;
        final RotationPolicy policy;
        Closeable watch;
        long timer = -1;
        boolean checking;
        boolean again;
        /**
         * The next check also finishes a rotation left half done: by the previous run (or berthd)
         * on the first check, or by a reopen job that failed.
         */
        boolean resume = true;
        boolean stopped;

        Watched(String id, Path log, RotationPolicy policy) {
            this.id = id;
            this.log = log;
            this.policy = policy;
        }
    }

    /** {@code watcher} may be null: sizes are then checked once a second. */
    public LogRotator(JobBus bus, Context context, WorkerExecutor pool, FileWatcher watcher, LogWrites writes) {
        this.bus = bus;
        this.context = context;
        this.pool = pool;
        this.watcher = watcher;
        this.writes = writes;
    }

    /**
     * Subscribes before listing, so that a container started in between is not missed. Every
     * container's log as it is now is the starting point of {@link LogWrites}' count.
     */
    public Future<Void> start() {
        events = bus.subscribe(event -> context.runOnContext(v -> onEvent(event)));
        return bus.call(ContainerJobTypes.LIST, new ListContainers(true, -1, Map.of()))
                .compose(list -> pool.executeBlocking(() -> {
                    for (ContainerView view : list.containers()) {
                        if (hasLog(view)) {
                            writes.baseline(view.id(), Path.of(view.logPath()));
                        }
                    }
                    return list;
                }, false))
                .map(list -> {
                    // The others' logs are as the baseline found them until they start.
                    list.containers().stream().filter(view -> view.state() != null && view.state().running()).forEach(this::seen);
                    return null;
                });
    }

    public void stop() {
        if (events != null) {
            events.unregister();
        }
        for (String id : Map.copyOf(watched).keySet()) {
            untrack(id);
        }
    }

    private void onEvent(EngineEvent event) {
        if (!"container".equals(event.type()) || event.actorId() == null) {
            return;
        }
        switch (event.action()) {
            case "start" -> bus.call(ContainerJobTypes.INSPECT, new ContainerRef(event.actorId()))
                    .onSuccess(this::seen)
                    .onFailure(e -> LOG.debug("cannot watch the log of {}: {}", event.actorId(), e.toString()));
            case "die" -> {
                untrack(event.actorId());
                String id = event.actorId();
                pool.executeBlocking(() -> {
                    writes.stopped(id);
                    return null;
                }, false).onFailure(e -> LOG.debug("cannot measure the log of {}: {}", id, e.toString()));
            }
            case "destroy" -> untrack(event.actorId());
            default -> {
            }
        }
    }

    private static boolean hasLog(ContainerView view) {
        return view.logPath() != null && !view.logPath().isEmpty();
    }

    /**
     * A container listed or started: its log is counted (at each measurement while it runs, now
     * when it has stopped already) and, when it runs, watched for rotation.
     */
    private void seen(ContainerView view) {
        if (hasLog(view) && view.state() != null) {
            String id = view.id();
            Path log = Path.of(view.logPath());
            boolean running = view.state().running();
            pool.executeBlocking(() -> {
                writes.started(id, log);
                if (!running) {
                    writes.stopped(id);
                }
                return null;
            }, false).onFailure(e -> LOG.debug("cannot measure the log of {}: {}", id, e.toString()));
        }
        track(view);
    }

    private void track(ContainerView view) {
        if (view.state() == null || !view.state().running() || view.logPath() == null || view.logPath().isEmpty()
                || watched.containsKey(view.id())) {
            return;
        }
        HostConfig.LogConfig config = view.hostConfig() == null ? null : view.hostConfig().logConfig();
        RotationPolicy policy;
        try {
            policy = config == null ? RotationPolicy.NONE : RotationPolicy.of(config.type(), config.config());
        } catch (RuntimeException e) {
            LOG.warn("container {} has log options berth cannot use: {}", view.id(), e.getMessage());
            return;
        }
        if (!policy.rotates()) {
            return;
        }
        Watched w = new Watched(view.id(), Path.of(view.logPath()), policy);
        watched.put(w.id, w);
        w.timer = context.owner().setPeriodic(SAFETY_POLL_MILLIS, id -> check(w));
        if (watcher != null) {
            pool.executeBlocking(() -> watcher.watch(w.log, () -> context.runOnContext(v -> check(w))), false)
                    .onSuccess(handle -> {
                        if (w.stopped) {
                            closeOnPool(handle);
                        } else {
                            w.watch = handle;
                        }
                    });
        }
        check(w);
    }

    private void untrack(String id) {
        Watched w = watched.remove(id);
        if (w == null) {
            return;
        }
        w.stopped = true;
        context.owner().cancelTimer(w.timer);
        closeOnPool(w.watch);
    }

    private void check(Watched w) {
        if (w.stopped) {
            return;
        }
        if (w.checking) {
            w.again = true;
            return;
        }
        w.checking = true;
        w.again = false;
        // Not on every check: log.1 being the live file usually means a reopen asked for is still
        // on its way, and a second one would rename another new file over the first's lines.
        boolean resume = w.resume && w.policy.maxFiles() > 1;
        w.resume = false;
        pool.executeBlocking(() -> (resume && LogRotation.awaitsReopen(w.log))
                        || writes.rotate(w.id, w.log, w.policy.maxFiles(),
                                measure -> LogRotation.rotateIfFull(w.log, w.policy.maxSize(), w.policy.maxFiles(), measure)), false)
                .compose(reopen -> reopen ? bus.call(ContainerJobTypes.REOPEN_LOG, new ContainerRef(w.id)) : Future.succeededFuture())
                .onComplete(ar -> {
                    w.checking = false;
                    if (ar.failed()) {
                        w.resume = true;
                        LOG.warn("rotating the log of {} failed: {}", w.id, ar.cause().toString());
                    }
                    if (w.again) {
                        check(w);
                    }
                });
    }

    private void closeOnPool(Closeable closeable) {
        if (closeable != null) {
            pool.executeBlocking(() -> {
                closeable.close();
                return null;
            }, false);
        }
    }
}
