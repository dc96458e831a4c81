package dev.berth.exec;

import dev.berth.bus.EngineException;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.JobCodec;
import dev.berth.bus.WorkerKind;
import dev.berth.bus.contract.container.ContainerJobTypes;
import dev.berth.exec.container.ContainerRegistry;
import dev.berth.exec.container.ContainerRunner;
import dev.berth.exec.container.ContainerService;
import dev.berth.exec.runtime.Conmon;
import dev.berth.exec.runtime.ExitWatcher;
import dev.berth.exec.runtime.OciRuntime;
import dev.berth.exec.store.ContainerStore;
import dev.berth.host.HostFacts;
import dev.berth.host.Processes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Wiring of the exec worker: containers under conmon and runc. Every job runs on its blocking pool. */
public final class ExecWorkerVerticle extends VerticleBase {
    private static final long DEFAULT_NOFILE = 1048576;

    private final JobBus bus;
    private final ExecOptions options;
    private WorkerExecutor blocking;
    private ExecutorService background;
    private ContainerStore store;
    private ExitWatcher exitWatcher;
    private ContainerService service;

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
        return blocking.executeBlocking(() -> {
            build();
            return null;
        }, false).compose(v -> bus.serve(WorkerKind.EXEC, routes()));
    }

    private void build() throws IOException {
        OciRuntime runtime = new OciRuntime(options.runtime(), options.runDir().resolve("runc"));
        Conmon conmon = new Conmon(options.conmon(), runtime, options.runDir().resolve("exits"));
        store = ContainerStore.open(options.stateDir().resolve("containers.db"));
        ContainerRegistry registry = new ContainerRegistry();
        long hardNofile = Processes.linux().rlimit(Processes.RLIMIT_NOFILE)[1];
        long nofile = hardNofile < 0 ? DEFAULT_NOFILE : Math.min(DEFAULT_NOFILE, hardNofile);
        ContainerRunner runner = new ContainerRunner(registry, store, new BusPeers(bus), runtime, conmon,
                new ContainerRunner.Settings(options.runDir(), options.cgroupParent(), nofile,
                        HostFacts.cgroupMode() == HostFacts.CgroupMode.UNIFIED),
                background);
        service = new ContainerService(registry, store, new BusPeers(bus), runner, options.stateDir(), background);
        service.load();
        exitWatcher = new ExitWatcher(conmon.exitDir(), runner::onExit);
        exitWatcher.start();
        runner.restore();
    }

    private <T> Future<T> run(Callable<T> work) {
        return blocking.executeBlocking(work, false);
    }

    private JobRoutes routes() {
        return new JobRoutes()
                .on(ContainerJobTypes.CREATE, args -> run(() -> service.create(args)))
                .on(ContainerJobTypes.START, args -> run(() -> {
                    service.start(args.ref());
                    return null;
                }))
                .on(ContainerJobTypes.STOP, args -> run(() -> {
                    service.stop(args.ref(), args.timeout(), args.signal());
                    return null;
                }))
                .on(ContainerJobTypes.KILL, args -> run(() -> {
                    service.kill(args.ref(), args.signal());
                    return null;
                }))
                .on(ContainerJobTypes.REMOVE, args -> run(() -> {
                    service.remove(args.ref(), args.force());
                    return null;
                }))
                .on(ContainerJobTypes.INSPECT, args -> run(() -> service.inspect(args.ref())))
                .on(ContainerJobTypes.LIST, args -> run(() -> service.list(args)))
                .on(ContainerJobTypes.SUMMARY, args -> run(service::summary))
                .on(ContainerJobTypes.RESIZE, args -> run(() -> {
                    service.resize(args.ref(), args.height(), args.width());
                    return null;
                }))
                .onStream(ContainerJobTypes.ATTACH, (args, stream) -> run(() -> service.attach(args.ref(), stream,
                        args.stdin(), args.stdout(), args.stderr())))
                .onStream(ContainerJobTypes.WAIT, (args, stream) -> run(() -> {
                    service.waitFor(args.ref(), args.condition()).whenComplete((outcome, failure) -> {
                        if (failure != null) {
                            stream.fail(EngineException.from(failure));
                        } else {
                            stream.write(JobCodec.encodeToBuffer(outcome));
                            stream.end();
                        }
                    });
                    return null;
                }));
    }

    @Override
    public Future<?> stop() {
        return blocking.executeBlocking(() -> {
            if (exitWatcher != null) {
                exitWatcher.close();
            }

            if (store != null) {
                store.close();
            }
            return null;
        }, false).eventually(() -> blocking.close()).andThen(ar -> background.shutdownNow());
    }
}
