package dev.berth.exec;

import dev.berth.bus.EngineException;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.JobTypes;
import dev.berth.bus.WorkerKind;
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
import io.vertx.core.json.JsonObject;
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
                .request(JobTypes.CONTAINER_CREATE, job -> run(() -> service.create(job.args())))
                .request(JobTypes.CONTAINER_START, job -> run(() -> {
                    service.start(job.requireString("ref"));
                    return new JsonObject();
                }))
                .request(JobTypes.CONTAINER_STOP, job -> run(() -> {
                    service.stop(job.requireString("ref"), job.args().getInteger("timeout"), job.args().getString("signal"));
                    return new JsonObject();
                }))
                .request(JobTypes.CONTAINER_KILL, job -> run(() -> {
                    service.kill(job.requireString("ref"), job.args().getString("signal"));
                    return new JsonObject();
                }))
                .request(JobTypes.CONTAINER_REMOVE, job -> run(() -> {
                    service.remove(job.requireString("ref"), job.args().getBoolean("force", false));
                    return new JsonObject();
                }))
                .request(JobTypes.CONTAINER_INSPECT, job -> run(() -> service.inspect(job.requireString("ref"))))
                .request(JobTypes.CONTAINER_LIST, job -> run(() -> new JsonObject().put("containers",
                        service.list(job.args().getBoolean("all", false), job.args().getInteger("limit", 0),
                                job.args().getJsonObject("filters")))))
                .request(JobTypes.CONTAINER_SUMMARY, job -> run(service::summary))
                .request(JobTypes.CONTAINER_RESIZE, job -> run(() -> {
                    service.resize(job.requireString("ref"), job.args().getInteger("height", 0), job.args().getInteger("width", 0));
                    return new JsonObject();
                }))
                .stream(JobTypes.CONTAINER_ATTACH, (job, stream) -> run(() -> service.attach(job.requireString("ref"), stream,
                        job.args().getBoolean("stdin", false), job.args().getBoolean("stdout", true),
                        job.args().getBoolean("stderr", true))))
                .stream(JobTypes.CONTAINER_WAIT, (job, stream) -> run(() -> {
                    var result = service.waitFor(job.requireString("ref"), job.args().getString("condition"));
                    result.whenComplete((outcome, failure) -> {
                        if (failure != null) {
                            stream.fail(EngineException.from(failure));
                        } else {
                            stream.write(outcome.toBuffer());
                            stream.end();
                        }
                    });
                    return new JsonObject();
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
