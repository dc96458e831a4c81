package dev.berth.exec.container;

import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.container.AttachAccepted;
import dev.berth.bus.contract.container.ContainerConfig;
import dev.berth.bus.contract.container.ContainerCreated;
import dev.berth.bus.contract.container.ContainerJobTypes;
import dev.berth.bus.contract.container.ContainerList;
import dev.berth.bus.contract.container.ContainerSummary;
import dev.berth.bus.contract.container.ContainerView;
import dev.berth.bus.contract.container.CreateContainer;
import dev.berth.bus.contract.container.HostConfig;
import dev.berth.bus.contract.container.ListContainers;
import dev.berth.bus.contract.container.WaitOutcome;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.stream.JobStream;
import dev.berth.exec.attach.AttachSession;
import dev.berth.exec.runtime.Conmon;
import dev.berth.exec.store.ContainerStore;
import dev.berth.host.HostFacts;
import io.vertx.core.json.JsonObject;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The exec worker's answers to container jobs. Methods block (they call other workers and the
 * runtime) and are called on the worker's blocking threads; they throw EngineExceptions.
 */
public final class ContainerService {
    private final ContainerRegistry registry;
    private final ContainerStore store;
    private final Peers peers;
    private final ContainerRunner runner;
    private final Path stateRoot;
    private final Executor background;

    public ContainerService(ContainerRegistry registry, ContainerStore store, Peers peers, ContainerRunner runner,
            Path stateRoot, Executor background) {
        this.registry = registry;
        this.store = store;
        this.peers = peers;
        this.runner = runner;
        this.stateRoot = stateRoot;
        this.background = background;
    }

    /** Loads the stored records; the runner then reconciles them with what still runs. */
    public void load() throws IOException {
        for (JsonObject record : store.loadAll()) {
            registry.add(Container.fromRecord(JobCodec.decode(record, StoredContainer.class)));
        }
    }

    // ---- create -----------------------------------------------------------------------------

    public ContainerCreated create(CreateContainer args) throws IOException {
        ContainerConfig requested = args.config();
        HostConfig hostConfig = args.hostConfig();
        String imageRef = requested.image() == null ? "" : requested.image();
        if (imageRef.isEmpty()) {
            throw EngineException.invalid("config.Image is required: no image given");
        }
        validateHostConfig(hostConfig);
        UnsupportedOptions.check(args);
        JsonObject image = peers.inspectImage(imageRef);
        ContainerConfig imageConfig = imageConfig(image);

        String id = Names.newId();
        String name = reserveName(args.name(), id);
        try {
            String hostname = requested.hostname() == null ? "" : requested.hostname();
            if (hostname.isEmpty()) {
                hostname = "host".equals(hostConfig.networkMode()) ? HostFacts.hostname() : id.substring(0, 12);
            }
            ContainerConfig config = ImageDefaults.merge(requested, imageConfig, hostname);
            Path stateDir = stateRoot.resolve(id);
            Container c = new Container(id, name, Instant.now(), image.getString("id"), config, hostConfig,
                    args.networkingConfig(), hostname, stateDir, stateDir.resolve("container.log"));
            peers.prepareSnapshot(id, image.getString("id"));
            try {
                Files.createDirectories(stateDir);
                store.insert(id, name, JobCodec.encode(c.toRecord()));
            } catch (IOException | RuntimeException e) {
                peers.removeSnapshot(id);
                ContainerRunner.deleteTree(stateDir);
                throw e;
            }
            registry.add(c);
            runner.publish(c, "create", Map.of());
            return new ContainerCreated(id, List.of());
        } catch (IOException | RuntimeException e) {
            registry.releaseName(name, id);
            throw e;
        }
    }

    /** The image's own Config (Docker's shape, as the graph worker keeps it verbatim). */
    private static ContainerConfig imageConfig(JsonObject image) {
        JsonObject config = image.getJsonObject("config");
        if (config == null) {
            return ContainerConfig.empty();
        }
        try {
            return JobCodec.decode(config, ContainerConfig.class);
        } catch (EngineException e) {
            throw EngineException.internal("the config of image " + image.getString("id") + " is unreadable: " + e.getMessage(), e);
        }
    }

    private String reserveName(String requested, String id) {
        if (requested != null && !requested.isEmpty()) {
            String name = Names.validate(requested);
            registry.reserveName(name, id);
            return name;
        }
        for (int attempt = 0; ; attempt++) {
            String name = Names.random(attempt);
            if (!registry.nameTaken(name)) {
                try {
                    registry.reserveName(name, id);
                    return name;
                } catch (EngineException e) {
                    // taken meanwhile; try another
                }
            }
        }
    }

    private void validateHostConfig(HostConfig hostConfig) {
        String policy = hostConfig.restartPolicyName();
        if (hostConfig.autoRemoveEnabled() && !policy.isEmpty() && !policy.equals("no")) {
            throw EngineException.invalid("can't create 'AutoRemove' container with restart policy");
        }
        if (!policy.isEmpty() && !List.of("no", "always", "unless-stopped", "on-failure").contains(policy)) {
            throw EngineException.invalid("invalid restart policy '" + policy + "'");
        }
        // A 404 from create makes the CLI try to pull the image, so an unknown network is a 400.
        // container:<ref> is resolved at start, as dockerd does (the other may not exist yet).
        String mode = hostConfig.networkMode() == null ? "" : hostConfig.networkMode();
        if (!mode.startsWith("container:") && !List.of("", "default", "bridge", "host", "none").contains(mode)) {
            throw EngineException.invalid("network " + mode + " not found");
        }
    }

    // ---- lifecycle --------------------------------------------------------------------------

    public void start(String ref) throws IOException {
        runner.start(registry.resolve(ref));
    }

    public void stop(String ref, Integer timeout, String signal) throws IOException {
        if (timeout != null && timeout > ContainerJobTypes.MAX_STOP_TIMEOUT_SECONDS) {
            throw EngineException.invalid("berth does not support a stop timeout above "
                    + ContainerJobTypes.MAX_STOP_TIMEOUT_SECONDS + " seconds yet");
        }
        runner.stop(registry.resolve(ref), timeout, signal);
    }

    public void kill(String ref, String signal) throws IOException {
        runner.kill(registry.resolve(ref), signal);
    }

    public void remove(String ref, boolean force) throws IOException {
        runner.remove(registry.resolve(ref), force);
    }

    // ---- queries ----------------------------------------------------------------------------

    public ContainerView inspect(String ref) {
        return registry.resolve(ref).view();
    }

    public ContainerList list(ListContainers args) {
        ContainerFilters filter = new ContainerFilters(args.filters(), this::imageIdOrNull, registry::find);
        List<Container> matching = new ArrayList<>();
        for (Container c : registry.all()) {
            if ((args.all() || args.limit() > 0 || filter.includesStopped() || c.isRunning()) && filter.keeps(c)) {
                matching.add(c);
            }
        }
        matching.sort(Comparator.comparing(Container::created).reversed());
        List<ContainerView> views = new ArrayList<>();
        for (Container c : matching) {
            if (args.limit() > 0 && views.size() >= args.limit()) {
                break;
            }
            views.add(c.view());
        }
        return new ContainerList(views);
    }

    private String imageIdOrNull(String ref) {
        try {
            return peers.inspectImage(ref).getString("id");
        } catch (EngineException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    public ContainerSummary summary() {
        int running = 0;
        int paused = 0;
        int stopped = 0;
        for (Container c : registry.all()) {
            if (c.status() == Status.PAUSED) {
                paused++;
            } else if (c.isRunning()) {
                running++;
            } else {
                stopped++;
            }
        }
        return new ContainerSummary(running, paused, stopped);
    }

    // ---- wait, attach, resize ---------------------------------------------------------------

    /**
     * Registers a waiter; the future completes with {statusCode, error} when the condition holds.
     * Unknown containers and conditions fail at once, before the caller is told to wait.
     */
    public CompletableFuture<WaitOutcome> waitFor(String ref, String condition) {
        Container c = registry.resolve(ref);
        CompletableFuture<Container.ExitReport> event;
        switch (condition == null || condition.isEmpty() ? "not-running" : condition) {
            case "not-running":
                event = c.isRunning() ? c.nextExit() : CompletableFuture.completedFuture(new Container.ExitReport(c.exitCode(), null));
                break;
            case "next-exit":
                event = c.nextExit();
                break;
            case "removed":
                event = c.removed();
                break;
            default:
                throw EngineException.invalid("invalid condition: \"" + condition + "\"");
        }
        return event.thenApply(report -> new WaitOutcome(report.exitCode(),
                report.error() == null || report.error().isEmpty() ? null : report.error()));
    }

    /** Sets up an attach session; the header tells the gateway how to frame the output. */
    public AttachAccepted attach(String ref, JobStream stream, boolean stdin, boolean stdout, boolean stderr) throws IOException {
        Container c = registry.resolve(ref);
        boolean wantsStdin = stdin && c.openStdin();
        AttachSession session = new AttachSession(stream, wantsStdin, stdout, stderr, c.stdinOnce(), c.tty(), background);
        c.lock().lock();
        try {
            if (c.isRunning()) {
                try {
                    session.connect(Conmon.attachSocket(runner.bundle(c)));
                } catch (IOException e) {
                    session.finish();
                    throw EngineException.internal("cannot attach to container " + c.id() + ": " + e.getMessage(), e);
                }
            } else if (c.status() == Status.REMOVING) {
                session.finish();
            } else {
                c.pendingAttaches().add(session);
            }
        } finally {
            c.lock().unlock();
        }
        runner.publish(c, "attach", Map.of());
        return new AttachAccepted(c.tty(), c.openStdin(), c.stdinOnce());
    }

    /** Tells conmon the terminal size; conmon passes it to the container's pty. */
    public void resize(String ref, int height, int width) throws IOException {
        Container c = registry.resolve(ref);
        if (!c.isRunning()) {
            throw EngineException.conflict("Container " + c.id() + " is not running");
        }
        if (!c.tty()) {
            return;
        }
        Path fifo = Conmon.controlFifo(runner.bundle(c));
        if (!Files.exists(fifo)) {
            throw EngineException.conflict("Container " + c.id() + " has no terminal to resize");
        }
        try (FileOutputStream out = new FileOutputStream(fifo.toFile())) {
            out.write(("1 " + height + " " + width + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }
}
