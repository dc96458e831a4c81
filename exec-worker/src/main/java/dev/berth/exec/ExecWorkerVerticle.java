package dev.berth.exec;

import dev.berth.bus.EngineEvent;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.JobCodec;
import dev.berth.bus.WorkerKind;
import dev.berth.bus.contract.container.ContainerJobTypes;
import dev.berth.exec.container.ContainerRegistry;
import dev.berth.exec.container.ContainerLifecycle;
import dev.berth.exec.container.LifecycleContext;
import dev.berth.exec.container.ContainerService;
import dev.berth.exec.runtime.Conmon;
import dev.berth.exec.session.ExecService;
import dev.berth.exec.container.HealthMonitor;
import dev.berth.exec.runtime.ExitWatcher;
import dev.berth.exec.runtime.NativeExecHelper;
import dev.berth.exec.runtime.OciRuntime;
import dev.berth.bus.contract.archive.ArchiveJobTypes;
import dev.berth.bus.contract.volume.VolumeJobTypes;
import dev.berth.exec.archive.ArchiveService;
import dev.berth.bus.contract.volume.VolumeList;
import dev.berth.exec.container.Container;
import dev.berth.exec.store.ContainerStore;
import dev.berth.exec.store.VolumeStore;
import dev.berth.exec.volume.VolumeCopyUp;
import dev.berth.exec.volume.VolumeService;
import dev.berth.host.FileOps;
import dev.berth.host.Mounts;
import dev.berth.host.HostFacts;
import dev.berth.host.Processes;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import dev.berth.bus.contract.container.StatsSample;
import dev.berth.bus.stream.JobStream;
import dev.berth.exec.container.StatsReader;
import dev.berth.exec.container.StatsWatchers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wiring of the exec worker: containers under conmon and runc. Jobs are answered with futures:
 * the service hands blocking work to a pool of its own and composes calls to other workers, so
 * no thread waits for another worker and queries never queue behind a long stop.
 */
public final class ExecWorkerVerticle extends VerticleBase {
    private static final long DEFAULT_NOFILE = 1048576;

    private final JobBus bus;
    private final ExecOptions options;
    private WorkerExecutor blocking;
    private ExecutorService background;
    private ContainerStore store;
    private ExitWatcher exitWatcher;
    private ContainerService service;
    private ExecService execs;
    private HealthMonitor healthChecks;
    private VolumeStore volumeStore;
    private VolumeService volumes;
    private ArchiveService archives;
    private StatsReader statsReader;
    private final StatsWatchers<StatsWatch> statsWatchers = new StatsWatchers<>();
    private long statsTimer = -1;
    private boolean statsTickRunning;

    public ExecWorkerVerticle(JobBus bus, ExecOptions options) {
        this.bus = bus;
        this.options = options;
    }

    @Override
    public Future<?> start() {
        blocking = vertx.createSharedWorkerExecutor("berth-exec", 32);
        AtomicInteger threads = new AtomicInteger();
        background = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "berth-exec-bg-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        return blocking.executeBlocking(this::build, false)
                .compose(restored -> Future.fromCompletionStage(restored))
                .compose(v -> bus.serve(WorkerKind.EXEC, routes()));
    }

    private CompletableFuture<Void> build() throws IOException {
        OciRuntime runtime = new OciRuntime(options.runtime(), options.runDir().resolve("runc"));
        Conmon conmon = new Conmon(options.conmon(), runtime, options.runDir().resolve("exits"));
        NativeExecHelper execHelper = NativeExecHelper.load();
        store = ContainerStore.open(options.stateDir().resolve("containers.db"));
        ContainerRegistry registry = new ContainerRegistry();
        long hardNofile = Processes.linux().rlimit(Processes.RLIMIT_NOFILE)[1];
        long nofile = hardNofile < 0 ? DEFAULT_NOFILE : Math.min(DEFAULT_NOFILE, hardNofile);
        BusPeers peers = new BusPeers(bus);
        volumeStore = VolumeStore.open(options.volumesDir().resolve("metadata.db"));
        volumes = new VolumeService(options.volumesDir(), volumeStore, Mounts.linux(), new VolumeCopyUp(FileOps.linux()));
        volumes.announceTo((action, volume, attributes) -> bus.publish(EngineEvent.now("volume", action, volume, attributes)));
        volumes.load();
        volumes.usersFrom(name -> registry.all().stream()
                .filter(c -> c.mounts().stream().anyMatch(m -> m.isVolume() && m.name().equals(name)))
                .map(Container::id).sorted().toList());
        ContainerLifecycle lifecycle = new ContainerLifecycle(new LifecycleContext(registry, store, peers, runtime, conmon, execHelper,
                new LifecycleContext.Settings(options.runDir(), options.cgroupParent(), nofile,
                        HostFacts.cgroupMode() == HostFacts.CgroupMode.UNIFIED, options.defaultDns()),
                background, volumes));
        service = new ContainerService(registry, store, peers, lifecycle, options.stateDir(), background);
        service.defaultLogConfig(options.defaultLogConfig());
        service.storageDriver(options.storageDriver());
        service.load();
        execs = new ExecService(registry, lifecycle, conmon, execHelper, background);
        healthChecks = new HealthMonitor(registry, lifecycle, execs::probe);
        healthChecks.start();
        archives = new ArchiveService(service, FileOps.linux(), background);
        statsReader = new StatsReader(Path.of("/sys/fs/cgroup"), options.cgroupParent(),
                HostFacts.cgroupMode() == HostFacts.CgroupMode.UNIFIED);
        exitWatcher = new ExitWatcher(conmon.exitDir(), lifecycle::onExit);
        exitWatcher.start();
        return lifecycle.restore();
    }

    /** A worker's future as the bus's, with the EngineException inside any wrapping. */
    private <T> Future<T> reply(CompletableFuture<T> work) {
        return Future.fromCompletionStage(work.handle((value, failure) -> {
            if (failure != null) {
                throw EngineException.from(failure);
            }
            return value;
        }));
    }

    /** Runs a call that may throw at once (an unknown container) and answers with its future. */
    private <T> Future<T> answer(Callable<CompletableFuture<T>> call) {
        try {
            return reply(call.call());
        } catch (Exception e) {
            return Future.failedFuture(EngineException.from(e));
        }
    }

    /** A query answered from memory. */
    private <T> Future<T> now(Callable<T> query) {
        return answer(() -> CompletableFuture.completedFuture(query.call()));
    }

    private <T> Future<T> run(Callable<T> work) {
        return blocking.executeBlocking(work, false);
    }

    private JobRoutes routes() {
        return new JobRoutes()
                .on(ContainerJobTypes.CREATE, args -> answer(() -> service.create(args)))
                .on(ContainerJobTypes.START, args -> answer(() -> service.start(args.ref())))
                .on(ContainerJobTypes.STOP, args -> answer(() -> service.stop(args.ref(), args.timeout(), args.signal())))
                .on(ContainerJobTypes.RESTART, args -> answer(() -> service.restart(args.ref(), args.timeout(), args.signal())))
                .onStream(ContainerJobTypes.STATS, (args, stream) -> now(() -> {
                    if (args.stream()) {
                        streamStats(service.container(args.ref()), stream);
                    } else {
                        sendStats(service.sampler(args.ref(), statsReader), stream, args.oneShot() ? 1 : 2);
                    }
                    return null;
                }))
                .on(ContainerJobTypes.UPDATE, args -> answer(() -> service.update(args.ref(), args.changes())))
                .on(ContainerJobTypes.PAUSE, args -> answer(() -> service.pause(args.ref())))
                .on(ContainerJobTypes.UNPAUSE, args -> answer(() -> service.unpause(args.ref())))
                .on(ContainerJobTypes.COMMIT, args -> answer(() -> service.commit(args)))
                .on(ContainerJobTypes.PRUNE, args -> answer(() -> service.prune(args.filters())))
                .on(ContainerJobTypes.RENAME, args -> answer(() -> service.rename(args.ref(), args.name())))
                .on(ContainerJobTypes.UNLINK, args -> answer(() -> service.unlink(args.parentRef(), args.alias())))
                .on(ContainerJobTypes.ANNOUNCE, args -> now(() -> {
                    service.announce(args.ref(), args.action(), args.extra());
                    return null;
                }))
                .on(ContainerJobTypes.NETWORK_CONNECT, args -> answer(() -> service.connectNetwork(args)))
                .on(ContainerJobTypes.NETWORK_DISCONNECT, args -> answer(() -> service.disconnectNetwork(args)))
                .on(ContainerJobTypes.TOP, args -> answer(() -> service.top(args.ref(), args.psArgs())))
                .on(ContainerJobTypes.KILL, args -> answer(() -> service.kill(args.ref(), args.signal())))
                .on(ContainerJobTypes.REMOVE, args -> answer(() -> service.remove(args.ref(), args.force(), args.volumes())))
                .on(VolumeJobTypes.CREATE, args -> run(() -> volumes.create(args)))
                .on(VolumeJobTypes.INSPECT, args -> run(() -> volumes.inspect(args.name())))
                .on(VolumeJobTypes.LIST, args -> run(() -> new VolumeList(volumes.list(args.filters()))))
                .on(VolumeJobTypes.REMOVE, args -> run(() -> {
                    volumes.remove(args.name(), args.force());
                    return null;
                }))
                .on(VolumeJobTypes.PRUNE, args -> run(() -> volumes.prune(args.filters())))
                .on(ArchiveJobTypes.STAT, args -> answer(() -> archives.stat(args)))
                .onStream(ArchiveJobTypes.GET, (args, stream) -> answer(() -> archives.get(args, stream)))
                .onStream(ArchiveJobTypes.PUT, (args, stream) -> answer(() -> archives.put(args, stream)))
                .on(ContainerJobTypes.INSPECT, args -> now(() -> service.inspect(args.ref())))
                .on(ContainerJobTypes.LIST, args -> answer(() -> service.list(args)))
                .on(ContainerJobTypes.SUMMARY, args -> now(service::summary))
                .on(ContainerJobTypes.RESIZE, args -> run(() -> {
                    service.resize(args.ref(), args.height(), args.width());
                    return null;
                }))
                .on(ContainerJobTypes.REOPEN_LOG, args -> run(() -> {
                    service.reopenLog(args.ref());
                    return null;
                }))
                .on(ContainerJobTypes.EXEC_CREATE, args -> now(() -> execs.create(args)))
                .on(ContainerJobTypes.EXEC_INSPECT, args -> now(() -> execs.inspect(args.id())))
                .on(ContainerJobTypes.EXEC_RESIZE, args -> run(() -> {
                    execs.resize(args.id(), args.height(), args.width());
                    return null;
                }))
                .onStream(ContainerJobTypes.EXEC_START, (args, stream) -> answer(() -> execs.start(args, stream))
                        .andThen(accepted -> {
                            if (accepted.succeeded() && args.detach()) {
                                stream.end();
                            }
                        }))
                .onStream(ContainerJobTypes.ATTACH, (args, stream) -> answer(() -> service.attach(args.ref(), stream,
                        args.stdin(), args.stdout(), args.stderr(), args.detachKeys())))
                .onStream(ContainerJobTypes.WAIT, (args, stream) -> now(() -> {
                    service.waitFor(args.ref(), args.condition()).whenComplete((outcome, failure) -> {
                        if (failure != null) {
                            stream.fail(EngineException.from(failure));
                            return;
                        }
                        try {
                            stream.write(JobCodec.encodeToBuffer(outcome));
                            stream.end();
                        } catch (RuntimeException e) {
                            // whenComplete would swallow it, and the client would wait for ever.
                            stream.fail(EngineException.from(e));
                        }
                    });
                    return null;
                }));
    }

    /** A client streaming one container's stats, and when it was last sent a sample. */
    private static final class StatsWatch {
        final JobStream stream;
        long lastSentNanos;

        StatsWatch(JobStream stream) {
            this.stream = stream;
        }
    }

    /**
     * A streaming stats client: a sample now, then one at each tick of the shared stats timer,
     * which reads every watched container once a second (one blocking task for all of them) and
     * hands each sample to each of its watchers. A watcher whose queue is full misses that tick's
     * sample rather than have it queued, so a slow client costs no memory.
     */
    private void streamStats(Container container, JobStream stream) {
        StatsWatch watch = new StatsWatch(stream);
        AtomicBoolean cancelled = new AtomicBoolean();
        stream.cancelHandler(v -> {
            cancelled.set(true);
            context.runOnContext(x -> statsWatchers.remove(container.id(), watch));
        });
        run(() -> statsReader.read(container)).onComplete(ar -> {
            if (!writeSample(stream, cancelled, ar)) {
                return;
            }
            watch.lastSentNanos = System.nanoTime();
            statsWatchers.add(container, watch);
            if (statsTimer < 0) {
                statsTimer = vertx.setPeriodic(1000, t -> statsTick());
            }
        });
    }

    /**
     * Hands a client the sample read for it: false, with nothing written, when the client has
     * gone meanwhile, or when the read failed (the client is then told why and its stream ends).
     */
    private static boolean writeSample(JobStream stream, AtomicBoolean cancelled, AsyncResult<StatsSample> read) {
        if (cancelled.get()) {
            return false;
        }
        if (read.failed()) {
            stream.fail(EngineException.from(read.cause()));
            return false;
        }
        stream.write(JobCodec.encodeToBuffer(read.result()));
        return true;
    }

    private void statsTick() {
        if (statsWatchers.isEmpty()) {
            vertx.cancelTimer(statsTimer);
            statsTimer = -1;
            return;
        }
        if (statsTickRunning) {
            return; // the last tick's reads are still going: skip rather than pile them up
        }
        statsTickRunning = true;
        run(() -> statsReader.readAll(statsWatchers.containers())).onComplete(ar -> {
            statsTickRunning = false;
            if (ar.failed()) {
                return; // the reader answers zeros for files it cannot read; nothing to tell a client
            }
            long now = System.nanoTime();
            for (StatsSample sample : ar.result()) {
                io.vertx.core.buffer.Buffer encoded = null;
                for (StatsWatch watch : statsWatchers.watchersOf(sample.id())) {
                    // a client's first sample was read when it came: the next must be far enough
                    // from it for the host's CPU time (in 10 ms ticks) to have moved
                    if (watch.stream.writeQueueFull() || now - watch.lastSentNanos < 500_000_000L) {
                        continue;
                    }
                    if (encoded == null) {
                        encoded = JobCodec.encodeToBuffer(sample);
                    }
                    watch.stream.write(encoded);
                    watch.lastSentNanos = now;
                }
            }
        });
    }

    /**
     * Sends a sample now and then one a second, {@code count} in all. The next sample waits
     * while the caller's queue is full.
     */
    private void sendStats(Supplier<StatsSample> sampler, JobStream stream, int count) {
        AtomicBoolean cancelled = new AtomicBoolean();
        stream.cancelHandler(v -> cancelled.set(true));
        new Object() {
            void next(int left) {
                run(sampler::get).onComplete(ar -> {
                    if (!writeSample(stream, cancelled, ar)) {
                        return;
                    }
                    if (left == 1) {
                        stream.end();
                        return;
                    }
                    vertx.setTimer(1000, t -> {
                        if (cancelled.get()) {
                            return;
                        }
                        if (stream.writeQueueFull()) {
                            stream.drainHandler(v -> next(left - 1));
                        } else {
                            next(left - 1);
                        }
                    });
                });
            }
        }.next(count);
    }

    @Override
    public Future<?> stop() {
        return blocking.executeBlocking(() -> {
            if (exitWatcher != null) {
                exitWatcher.close();
            }
            if (healthChecks != null) {
                healthChecks.close();
            }

            if (store != null) {
                store.close();
            }
            if (volumeStore != null) {
                volumeStore.close();
            }
            return null;
        }, false).eventually(() -> blocking.close()).andThen(ar -> background.shutdownNow());
    }
}
