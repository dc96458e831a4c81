package dev.berth.graph;

import dev.berth.bus.contract.container.AttachContainer;
import dev.berth.bus.contract.container.ContainerConfig;
import dev.berth.bus.contract.container.ContainerJobs;
import dev.berth.bus.contract.container.CreateContainer;
import dev.berth.bus.contract.container.RemoveContainer;
import dev.berth.bus.contract.container.WaitContainer;
import dev.berth.bus.contract.container.WaitOutcome;
import dev.berth.bus.stream.StreamRecords;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import dev.berth.bus.EngineEvent;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobCodec;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.JobType;
import dev.berth.bus.WorkerKind;
import dev.berth.bus.contract.image.BuildImage;
import dev.berth.bus.contract.image.BuildProgress;
import dev.berth.bus.contract.image.CommittedImage;
import dev.berth.bus.contract.image.ImageJobTypes;
import dev.berth.bus.contract.image.ImportImage;
import dev.berth.bus.contract.image.SnapshotRef;
import dev.berth.bus.contract.image.ImageList;
import dev.berth.bus.contract.image.LoadImage;
import dev.berth.bus.contract.image.PullImage;
import dev.berth.bus.contract.image.PushImage;
import dev.berth.bus.contract.image.RemovedImages;
import dev.berth.bus.contract.image.SaveImages;
import dev.berth.bus.stream.BlockingStreams;
import dev.berth.bus.stream.JobStream;
import dev.berth.graph.build.StepContainers;
import dev.berth.graph.build.ImageBuilder;
import dev.berth.graph.content.Digest;
import dev.berth.graph.image.ImageEvents;
import dev.berth.host.FileOps;
import dev.berth.host.Mounts;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wiring of the graph worker: images, layers and snapshots. Every job runs on the named worker
 * pool "berth-graph"; archive streams on "berth-graph-io", so a long load never queues an inspect.
 */
public final class GraphWorkerVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(GraphWorkerVerticle.class);
    private static final int POOL = 4;
    private static final int IO_POOL = 4;

    private final JobBus bus;
    private final GraphOptions options;
    private WorkerExecutor executor;
    private WorkerExecutor ioExecutor;
    private volatile Graph graph;
    private JobBus.Registration registration;

    public GraphWorkerVerticle(JobBus bus, GraphOptions options) {
        this.bus = bus;
        this.options = options;
    }

    @Override
    public Future<?> start() {
        executor = vertx.createSharedWorkerExecutor("berth-graph", POOL);
        ioExecutor = vertx.createSharedWorkerExecutor("berth-graph-io", IO_POOL);
        return executor.executeBlocking(() -> {
                    ImageBuilder.discardLeftovers(buildScratch());
                    return Graph.open(options, FileOps.linux(), Mounts.linux(), events());
                }, false)
                .compose(opened -> {
                    graph = opened;
                    return bus.serve(WorkerKind.GRAPH, routes());
                })
                .onSuccess(r -> registration = r);
    }

    private JobRoutes routes() {
        return new JobRoutes()
                .on(ImageJobTypes.INSPECT, args -> blocking(() -> graph.images().inspect(args.ref())))
                .on(ImageJobTypes.SUMMARY, args -> blocking(graph::summary))
                .on(ImageJobTypes.LIST, args -> blocking(() -> new ImageList(graph.images().list(args.all(), args.filters()))))
                .on(ImageJobTypes.TAG, args -> blocking(() -> {
                    graph.images().tag(args.ref(), args.repo(), args.tag());
                    return null;
                }))
                .on(ImageJobTypes.REMOVE, args -> blocking(() -> new RemovedImages(
                        graph.images().remove(args.ref(), args.force(), !args.noprune()))))
                .on(ImageJobTypes.SNAPSHOT_PREPARE, args -> blocking(() -> graph.prepareSnapshot(args.id(), args.image())))
                .on(ImageJobTypes.SNAPSHOT_MOUNT, args -> blocking(() -> graph.mountSnapshot(args.id())))
                .on(ImageJobTypes.SNAPSHOT_UNMOUNT, args -> blocking(() -> {
                    graph.unmountSnapshot(args.id());
                    return null;
                }))
                .on(ImageJobTypes.SNAPSHOT_REMOVE, args -> blocking(() -> {
                    graph.removeSnapshot(args.id());
                    return null;
                }))
                .on(ImageJobTypes.SEARCH, args -> io(() -> graph.searcher().search(args)))
                .on(ImageJobTypes.LOGIN, args -> io(() -> graph.login().login(args)))
                .onStream(ImageJobTypes.PULL, this::pull)
                .onStream(ImageJobTypes.PUSH, this::push)
                .on(ImageJobTypes.SNAPSHOT_CHANGES, args -> blocking(() -> graph.committer().changes(args)))
                .on(ImageJobTypes.COMMIT, args -> io(() -> graph.committer().commit(args)))
                .on(ImageJobTypes.USAGE, args -> blocking(() -> graph.pruner().usage()))
                .on(ImageJobTypes.PRUNE, args -> blocking(() -> graph.pruner().prune(args)))
                .on(ImageJobTypes.BUILD_PRUNE, args -> blocking(() -> graph.buildCache().prune()))
                .on(ImageJobTypes.BUILD_USAGE, args -> blocking(() -> graph.buildCache().usage()))
                .onStream(ImageJobTypes.SNAPSHOT_EXPORT, this::export)
                .onStream(ImageJobTypes.IMPORT, this::importTar)
                .onStream(ImageJobTypes.BUILD, this::build)
                .onStream(ImageJobTypes.LOAD, this::load)
                .onStream(ImageJobTypes.SAVE, this::save);
    }

    /** Accepts at once; the archive is read, and progress written, on the io pool. */
    private Future<Void> load(LoadImage args, JobStream stream) {
        ioExecutor.executeBlocking(() -> {
            InputStream archive = BlockingStreams.input(stream);
            OutputStream progress = BlockingStreams.output(stream);
            try {
                graph.loader().load(archive, args.quiet(), message -> {
                    progress.write(JobCodec.encodeToBuffer(message).getBytes());
                    progress.flush();
                });
                progress.close();
            } catch (Exception e) {
                fail(ImageJobTypes.LOAD, stream, e);
            }
            return null;
        }, false);
        return Future.succeededFuture();
    }

    /**
     * Accepts at once; the context is read and the steps run on the io pool, whose thread waits
     * for the exec worker's replies to RUN steps. A failure is the last chunk (not a stream
     * failure) so that the CLI gets the message and a failing RUN's exit code.
     */
    private Future<Void> build(BuildImage args, JobStream stream) {
        ioExecutor.executeBlocking(() -> {
            InputStream context = BlockingStreams.input(stream);
            OutputStream progress = BlockingStreams.output(stream);
            ImageBuilder builder = new ImageBuilder(graph, new BusStepContainers(bus), buildScratch(), options.limits());
            try {
                try {
                    builder.build(context, args, line -> send(progress, BuildProgress.line(line)), stream::isCancelled);
                } catch (ImageBuilder.Cancelled e) {
                    LOG.info("image.build cancelled by its client");
                    return null;
                } catch (ImageBuilder.StepFailed e) {
                    send(progress, BuildProgress.failure(e.getMessage(), e.code()));
                } catch (EngineException e) {
                    if (e.kind() == ErrorKind.INTERNAL) {
                        LOG.warn("image.build failed", e);
                    }
                    send(progress, BuildProgress.failure(e.getMessage(), 0));
                }
                progress.close();
            } catch (Exception e) {
                fail(ImageJobTypes.BUILD, stream, e);
            }
            return null;
        }, false);
        return Future.succeededFuture();
    }

    /** Where builds unpack their contexts: one directory per build, discarded at the next start if a crash left it. */
    private java.nio.file.Path buildScratch() {
        return options.root().resolve("build-tmp");
    }

    private static void send(OutputStream progress, BuildProgress message) {
        try {
            progress.write(JobCodec.encodeToBuffer(message).getBytes());
            progress.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Accepts at once; the registry is asked, and progress written, on the io pool. */
    private Future<Void> pull(PullImage args, JobStream stream) {
        ioExecutor.executeBlocking(() -> {
            OutputStream progress = BlockingStreams.output(stream);
            try {
                graph.puller().pull(args, message -> {
                    progress.write(JobCodec.encodeToBuffer(message).getBytes());
                    progress.flush();
                });
                progress.close();
            } catch (Exception e) {
                fail(ImageJobTypes.PULL, stream, e);
            }
            return null;
        }, false);
        return Future.succeededFuture();
    }

    /** Resolves the tags first, so an unknown one refuses the job; then pushes on the io pool. */
    private Future<Void> push(PushImage args, JobStream stream) {
        return executor.executeBlocking(() -> graph.pusher().plan(args), false).map(tags -> {
            ioExecutor.executeBlocking(() -> {
                OutputStream progress = BlockingStreams.output(stream);
                try {
                    graph.pusher().push(args, tags, message -> {
                        progress.write(JobCodec.encodeToBuffer(message).getBytes());
                        progress.flush();
                    });
                    progress.close();
                } catch (Exception e) {
                    fail(ImageJobTypes.PUSH, stream, e);
                }
                return null;
            }, false);
            return null;
        });
    }

    /** Resolves the names first, so an unknown one refuses the job before any byte is sent. */
    private Future<Void> save(SaveImages args, JobStream stream) {
        return executor.executeBlocking(() -> graph.saver().plan(args.refs()), false).map(plan -> {
            ioExecutor.executeBlocking(() -> {
                try {
                    graph.saver().write(plan, new BufferedOutputStream(BlockingStreams.output(stream), BlockingStreams.CHUNK));
                } catch (Exception e) {
                    fail(ImageJobTypes.SAVE, stream, e);
                }
                return null;
            }, false);
            return null;
        });
    }

    /** Mounts the view first, so an unknown container refuses the job before any byte is sent. */
    private Future<Void> export(SnapshotRef args, JobStream stream) {
        return executor.executeBlocking(() -> graph.exporter().open(args.id()), false).map(view -> {
            ioExecutor.executeBlocking(() -> {
                try (view) {
                    OutputStream out = new BufferedOutputStream(BlockingStreams.output(stream), BlockingStreams.CHUNK);
                    view.write(out);
                    out.close();
                } catch (Exception e) {
                    fail(ImageJobTypes.SNAPSHOT_EXPORT, stream, e);
                }
                return null;
            }, false);
            return null;
        });
    }

    /** Accepts at once; the tar is read, and the new image's id written back, on the io pool. */
    private Future<Void> importTar(ImportImage args, JobStream stream) {
        ioExecutor.executeBlocking(() -> {
            try {
                CommittedImage image = graph.tarImporter().importTar(BlockingStreams.input(stream), args);
                OutputStream out = BlockingStreams.output(stream);
                out.write(JobCodec.encodeToBuffer(image).getBytes());
                out.close();
            } catch (Exception e) {
                fail(ImageJobTypes.IMPORT, stream, e);
            }
            return null;
        }, false);
        return Future.succeededFuture();
    }

    private static void fail(JobType<?, ?> type, JobStream stream, Exception failure) {
        Throwable cause = failure instanceof UncheckedIOException ? failure.getCause() : failure;
        if (cause instanceof IOException && cause.getCause() instanceof EngineException) {
            cause = cause.getCause();
        }
        EngineException error = EngineException.from(cause);
        if (stream.isCancelled()) {
            LOG.info("{} abandoned by its caller", type);
            return;
        }
        if (error.kind() == ErrorKind.INTERNAL) {
            LOG.warn("{} failed", type, cause);
        }
        stream.fail(error);
    }

    /** Runs work on the worker pool, never on the event loop: the database, disks and mount(2) block. */
    private <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
        return executor.executeBlocking(work, false);
    }

    /** Long work on the io pool, so the database jobs never queue behind it: registry transfers, commits. */
    private <T> Future<T> io(java.util.concurrent.Callable<T> work) {
        return ioExecutor.executeBlocking(work, false);
    }

    /** Image events carry the image's labels and the name, as dockerd's; a deleted image has no labels left. */
    private ImageEvents events() {
        return new ImageEvents() {
            @Override
            public void publish(String action, Digest image, String name) {
                Map<String, String> attributes = new java.util.HashMap<>(labelsOf(image));
                attributes.put("name", name);
                bus.publish(EngineEvent.now("image", action, image.toString(), attributes));
            }

            @Override
            public void pruned(long reclaimedBytes) {
                bus.publish(EngineEvent.now("image", "prune", "", Map.of("reclaimed", Long.toString(reclaimedBytes))));
            }
        };
    }

    /** Called on the worker thread that changed the image, which may read the store. */
    private Map<String, String> labelsOf(Digest image) {
        if (graph == null) {
            return Map.of();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode labels = graph.imageStore().config(image).config().path("Labels");
            Map<String, String> found = new java.util.HashMap<>();
            labels.fields().forEachRemaining(e -> found.put(e.getKey(), e.getValue().asText()));
            return found;
        } catch (IOException | RuntimeException e) {
            return Map.of(); // gone (a delete), or unreadable: the event still says what happened
        }
    }

    @Override
    public Future<?> stop() {
        Future<Void> unregistered = registration != null ? registration.unregister() : Future.succeededFuture();
        return unregistered.andThen(ar -> {
            if (graph != null) {
                graph.close();
            }
            executor.close();
            ioExecutor.close();
        });
    }

    GraphOptions options() {
        return options;
    }

    /**
     * A RUN step's container through the exec worker's jobs on the bus. Called on a worker thread
     * of the graph's io pool, which may block on the replies (never an event loop).
     */
    private static final class BusStepContainers implements StepContainers {
        private final ContainerJobs containers;

        BusStepContainers(JobBus bus) {
            this.containers = ContainerJobs.over(bus);
        }

        @Override
        public Ran run(String image, List<String> command, List<String> env, Consumer<String> created, Consumer<String> output,
                BooleanSupplier cancelled) throws IOException {
            JsonObject config = new JsonObject().put("Image", image).put("Cmd", new JsonArray(command))
                    .put("Entrypoint", new JsonArray()).put("Env", new JsonArray(env));
            String id = await(containers.create(new CreateContainer(null,
                    JobCodec.decode(config.toBuffer(), ContainerConfig.class), null, null))).id();
            created.accept(id);
            // The output is handed over on the event loop and written to the build stream here, on this thread.
            BlockingQueue<String> pieces = new LinkedBlockingQueue<>();
            Promise<Void> outputEnded = Promise.promise();
            Future<WaitOutcome> exited = containers.attach(new AttachContainer(id, false, true, true, null)).compose(attached -> {
                attached.handler(chunk -> StreamRecords.forEach(chunk,
                        record -> pieces.add(record.payload().toString(StandardCharsets.UTF_8))));
                attached.endHandler(v -> outputEnded.tryComplete());
                attached.exceptionHandler(e -> outputEnded.tryComplete());
                attached.end();
                return containers.await(new WaitContainer(id, "next-exit"));
            }).compose(stream -> {
                Promise<WaitOutcome> outcome = Promise.promise();
                stream.handler(chunk -> outcome.tryComplete(JobCodec.decode(chunk, WaitOutcome.class)));
                stream.exceptionHandler(outcome::tryFail);
                stream.endHandler(v -> outcome.tryFail(EngineException.internal("the wait of " + id + " ended without an outcome", null)));
                stream.end();
                return containers.start(id).compose(started -> outcome.future(), failed -> {
                    stream.cancel();
                    return Future.failedFuture(failed);
                });
            });
            Future<WaitOutcome> finished = exited.compose(outcome -> outputEnded.future().map(outcome));
            WaitOutcome outcome;
            try {
                CompletableFuture<WaitOutcome> done = finished.toCompletionStage().toCompletableFuture();
                while (!done.isDone() || !pieces.isEmpty()) {
                    if (cancelled.getAsBoolean()) {
                        throw new ImageBuilder.Cancelled(); // removed (killed first) below
                    }
                    String piece = pieces.poll(50, TimeUnit.MILLISECONDS);
                    if (piece != null) {
                        output.accept(piece);
                    }
                }
                outcome = await(finished);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                remove(id);
                throw new IOException("interrupted while running a build step", e);
            } catch (IOException | RuntimeException e) {
                remove(id);
                throw e;
            }
            if (outcome.error() != null && !outcome.error().isEmpty()) {
                remove(id);
                throw EngineException.invalid(outcome.error());
            }
            return new Ran(id, outcome.statusCode());
        }

        @Override
        public void remove(String id) throws IOException {
            await(containers.remove(new RemoveContainer(id, true, true)));
        }

        private static <T> T await(Future<T> reply) throws IOException {
            try {
                return reply.toCompletionStage().toCompletableFuture().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the exec worker", e);
            } catch (ExecutionException e) {
                throw EngineException.from(e.getCause());
            }
        }
    }
}
