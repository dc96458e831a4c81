package dev.berth.exec;

import dev.berth.bus.EngineException;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.JobTypes;
import dev.berth.bus.WorkerKind;
import dev.berth.exec.container.ContainerRegistry;
import dev.berth.exec.container.ContainerLifecycle;
import dev.berth.exec.container.LifecycleContext;
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
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
        store = ContainerStore.open(options.stateDir().resolve("containers.db"));
        ContainerRegistry registry = new ContainerRegistry();
        long hardNofile = Processes.linux().rlimit(Processes.RLIMIT_NOFILE)[1];
        long nofile = hardNofile < 0 ? DEFAULT_NOFILE : Math.min(DEFAULT_NOFILE, hardNofile);
        BusPeers peers = new BusPeers(bus);
        ContainerLifecycle lifecycle = new ContainerLifecycle(new LifecycleContext(registry, store, peers, runtime, conmon,
                new LifecycleContext.Settings(options.runDir(), options.cgroupParent(), nofile,
                        HostFacts.cgroupMode() == HostFacts.CgroupMode.UNIFIED),
                background));
        service = new ContainerService(registry, store, peers, lifecycle, options.stateDir(), background);
        service.load();
        exitWatcher = new ExitWatcher(conmon.exitDir(), lifecycle::onExit);
        exitWatcher.start();
        return lifecycle.restore();
    }

    /** A worker's future as the bus's, with the EngineException inside any wrapping. */
    private <T> Future<T> reply(CompletableFuture<T> work) {
        return Future.fromCompletionStage(work.handle((value, failure) -> {
            if (failure != null) {
                throw unwrap(failure);
            }
            return value;
        }));
    }

    private static EngineException unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException
                || cause instanceof UncheckedIOException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return EngineException.from(cause);
    }

    /** Runs a call that may throw at once (an unknown container) and answers with a future. */
    private <T> Future<T> answer(Callable<CompletableFuture<T>> call) {
        try {
            return reply(call.call());
        } catch (Exception e) {
            return Future.failedFuture(unwrap(e));
        }
    }

    private <T> Future<T> run(Callable<T> work) {
        return blocking.executeBlocking(work, false);
    }

    private static final JsonObject DONE = new JsonObject();

    private JobRoutes routes() {
        return new JobRoutes()
                .request(JobTypes.CONTAINER_CREATE, job -> answer(() -> service.create(job.args())))
                .request(JobTypes.CONTAINER_START, job -> answer(() -> service.start(job.requireString("ref")).thenApply(v -> DONE)))
                .request(JobTypes.CONTAINER_STOP, job -> answer(() -> service.stop(job.requireString("ref"),
                        job.args().getInteger("timeout"), job.args().getString("signal")).thenApply(v -> DONE)))
                .request(JobTypes.CONTAINER_KILL, job -> answer(() -> service.kill(job.requireString("ref"),
                        job.args().getString("signal")).thenApply(v -> DONE)))
                .request(JobTypes.CONTAINER_REMOVE, job -> answer(() -> service.remove(job.requireString("ref"),
                        job.args().getBoolean("force", false)).thenApply(v -> DONE)))
                .request(JobTypes.CONTAINER_INSPECT, job -> answer(() -> CompletableFuture.completedFuture(
                        service.inspect(job.requireString("ref")))))
                .request(JobTypes.CONTAINER_LIST, job -> answer(() -> service.list(job.args().getBoolean("all", false),
                        job.args().getInteger("limit", 0), job.args().getJsonObject("filters"))
                        .thenApply(containers -> new JsonObject().put("containers", containers))))
                .request(JobTypes.CONTAINER_SUMMARY, job -> answer(() -> CompletableFuture.completedFuture(service.summary())))
                .request(JobTypes.CONTAINER_RESIZE, job -> run(() -> {
                    service.resize(job.requireString("ref"), job.args().getInteger("height", 0), job.args().getInteger("width", 0));
                    return new JsonObject();
                }))
                .stream(JobTypes.CONTAINER_ATTACH, (job, stream) -> answer(() -> service.attach(job.requireString("ref"), stream,
                        job.args().getBoolean("stdin", false), job.args().getBoolean("stdout", true),
                        job.args().getBoolean("stderr", true))))
                .stream(JobTypes.CONTAINER_WAIT, (job, stream) -> answer(() -> {
                    var result = service.waitFor(job.requireString("ref"), job.args().getString("condition"));
                    result.whenComplete((outcome, failure) -> {
                        if (failure != null) {
                            stream.fail(unwrap(failure));
                        } else {
                            stream.write(outcome.toBuffer());
                            stream.end();
                        }
                    });
                    return CompletableFuture.completedFuture(new JsonObject());
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
