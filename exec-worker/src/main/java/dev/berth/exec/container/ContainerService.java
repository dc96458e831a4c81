package dev.berth.exec.container;

import dev.berth.host.FileTrees;
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
import dev.berth.bus.contract.container.NetworkingConfig;
import dev.berth.bus.contract.container.WaitOutcome;
import dev.berth.bus.contract.image.ImageView;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.stream.JobStream;
import dev.berth.exec.volume.ContainerRoot;
import dev.berth.exec.volume.RuntimeMounts;
import dev.berth.exec.attach.AttachSession;
import dev.berth.exec.attach.DetachKeys;
import dev.berth.exec.oci.ResourceLimits;
import dev.berth.exec.oci.Capabilities;
import dev.berth.exec.oci.DeviceMappings;
import dev.berth.exec.oci.InitProcess;
import dev.berth.exec.oci.SeccompProfile;
import dev.berth.exec.oci.SecurityOptions;
import dev.berth.exec.oci.Signals;
import dev.berth.exec.runtime.Conmon;
import dev.berth.exec.store.ContainerStore;
import dev.berth.exec.volume.MountSpec;
import dev.berth.exec.volume.MountSpecs;
import dev.berth.host.FifoWriter;
import dev.berth.host.HostFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The exec worker's answers to container jobs. Every method answers at once with a future (or a
 * value read from memory) and may be called from an event loop: work that blocks runs on the
 * blocking executor, and calls to other workers are composed, never waited for. Failures are
 * EngineExceptions, thrown or inside the future.
 */
public final class ContainerService {
    private final ContainerRegistry registry;
    private final ContainerStore store;
    private final Peers peers;
    private final ContainerLifecycle lifecycle;
    private final Path stateRoot;
    private final Executor background;
    /** daemon.json log-driver and log-opts; null when the daemon sets none. */
    private volatile HostConfig.LogConfig defaultLogConfig;
    private volatile String storageDriver = "overlay2";

    public ContainerService(ContainerRegistry registry, ContainerStore store, Peers peers, ContainerLifecycle lifecycle,
            Path stateRoot, Executor background) {
        this.registry = registry;
        this.store = store;
        this.peers = peers;
        this.lifecycle = lifecycle;
        this.stateRoot = stateRoot;
        this.background = background;
    }

    /** The node's storage driver, which inspect shows as Driver and GraphDriver.Name. */
    public void storageDriver(String driver) {
        this.storageDriver = driver;
    }

    /** The daemon-wide log driver and options that containers which set none get (null: none set). */
    public void defaultLogConfig(HostConfig.LogConfig config) {
        this.defaultLogConfig = config;
    }

    /** Loads the stored records; the lifecycle then reconciles them with what still runs. */
    public void load() throws IOException {
        for (String record : store.loadAll()) {
            registry.add(Container.fromRecord(JobCodec.decode(record, StoredContainer.class)));
        }
    }

    // ---- create -----------------------------------------------------------------------------

    public CompletableFuture<ContainerCreated> create(CreateContainer asked) {
        CreateContainer args = withDaemonLogConfig(asked);
        ContainerConfig requested = args.config();
        HostConfig hostConfig = args.hostConfig();
        String imageRef = requested.image() == null ? "" : requested.image();
        if (imageRef.isEmpty()) {
            throw EngineException.invalid("config.Image is required: no image given");
        }
        validateConfig(requested);
        validateHostConfig(hostConfig);
        validateEndpoints(args.networkingConfig(), hostConfig.networkMode());
        SharedNetworkConflicts.check(requested, hostConfig, args.networkingConfig());
        LegacyLinks.check(hostConfig.links(), hostConfig.networkMode(), registry::resolve);
        UnsupportedOptions.check(args);
        return checkNetwork(hostConfig.networkMode())
                .thenCompose(v -> peers.inspectImage(imageRef))
                .thenComposeAsync(image -> createFrom(args, image), background);
    }

    /** The request with the daemon's log driver and options merged into its LogConfig, as dockerd stores it. */
    private CreateContainer withDaemonLogConfig(CreateContainer args) {
        if (defaultLogConfig == null) {
            return args;
        }
        HostConfig.LogConfig merged = dev.berth.bus.contract.logs.LogDriverConfig.withDefaults(args.hostConfig().logConfig(),
                defaultLogConfig);
        com.fasterxml.jackson.databind.node.ObjectNode json = JobCodec.mapper().valueToTree(args.hostConfig());
        json.set("LogConfig", JobCodec.mapper().valueToTree(merged));
        return new CreateContainer(args.name(), args.config(), JobCodec.mapper().convertValue(json, HostConfig.class),
                args.networkingConfig());
    }

    private CompletableFuture<ContainerCreated> createFrom(CreateContainer args, ImageView image) {
        ContainerConfig requested = args.config();
        HostConfig hostConfig = args.hostConfig();
        ContainerConfig imageConfig = imageConfig(image);
        checkSecurity(hostConfig);
        List<MountSpec> checked = MountSpecs.parse(hostConfig, volumesFrom(hostConfig), imageVolumes(requested, imageConfig));
        MountSpecs.checkSources(checked);
        String id = Names.newId();
        String name = reserveName(args.name(), id);
        try {
            String hostname = requested.hostname() == null ? "" : requested.hostname();
            if (hostname.isEmpty()) {
                hostname = "host".equals(hostConfig.networkMode()) ? HostFacts.hostname() : id.substring(0, 12);
            }
            ContainerConfig config = ImageDefaults.merge(requested, imageConfig, hostname);
            Path stateDir = stateRoot.resolve(id);
            Container c = new Container(id, name, Instant.now(), image.id(), config, hostConfig,
                    args.networkingConfig(), hostname, stateDir, stateDir.resolve("container.log"));
            List<MountSpec> mounts = withVolumes(checked);
            c.useMounts(mounts);
            return peers.prepareSnapshot(id, image.id())
                    .thenApplyAsync(v -> {
                        try {
                            Files.createDirectories(stateDir);
                            store.insert(id, name, JobCodec.encodeToString(c.toRecord()));
                        } catch (IOException | RuntimeException e) {
                            peers.removeSnapshot(id);
                            try {
                                FileTrees.deleteTree(stateDir);
                            } catch (IOException ignored) {
                                // nothing refers to the directory; it is empty or absent
                            }
                            throw e instanceof IOException ? new UncheckedIOException((IOException) e) : (RuntimeException) e;
                        }
                        registry.add(c);
                        lifecycle.publish(c, "create", Map.of());
                        return new ContainerCreated(id, List.of());
                    }, background)
                    .whenCompleteAsync((created, failure) -> {
                        if (failure != null) {
                            registry.releaseName(name, id);
                            lifecycle.volumes().released(mounts, true);
                        }
                    }, background);
        } catch (RuntimeException e) {
            registry.releaseName(name, id);
            throw e;
        }
    }

    // ---- a container's file system, for docker cp ---------------------------------------------

    /**
     * A running container's root as the host reaches it: /proc/PID/root is a symlink, so the
     * path ends in "." to be the directory itself to the no-follow checks and walks of cp
     * (without it `docker cp file ctr:/name` and `docker cp ctr:/ -` saw "/" as a link). Its
     * mountinfo, read on a worker thread, says which mounts are the runtime's, read from the
     * snapshot instead.
     */
    private CompletableFuture<ContainerRoot> runningRoot(Container c, boolean readonly) {
        long pid = c.pid();
        String rootfs = c.rootfs();
        return CompletableFuture.supplyAsync(() -> {
            List<String> own = new ArrayList<>();
            c.mounts().forEach(m -> own.add(m.destination()));
            own.addAll(HOST_FILES);
            RuntimeMounts runtime;
            try {
                runtime = rootfs == null ? RuntimeMounts.NONE : RuntimeMounts.of(pid, own, Path.of(rootfs));
            } catch (NoSuchFileException e) {
                throw EngineException.conflict("Container " + c.id() + " is not running");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new ContainerRoot(Path.of("/proc/" + pid + "/root/."), c.mounts(), false, readonly, runtime);
        }, background);
    }

    /** Where the runtime binds the files of {@link #withHostFiles}. */
    private static final List<String> HOST_FILES = List.of("/etc/hostname", "/etc/hosts", "/etc/resolv.conf");

    /**
     * Runs work on a container's file system. A running container's is /proc/PID/root, but for
     * the runtime's /proc, /sys and /dev mounts, read in its mountinfo on a worker thread; a stopped
     * one's snapshot is mounted for the work, in the container's serial order (a start waits for
     * it), and unmounted when the work's future completes, whatever its outcome.
     */
    public <T> CompletableFuture<T> withRoot(String ref, java.util.function.Function<ContainerRoot, CompletableFuture<T>> work) {
        Container c = registry.resolve(ref);
        boolean readonly = c.hostConfig().readonlyRootfsEnabled();
        if (c.isRunning() && c.pid() > 0) {
            return runningRoot(c, readonly).thenCompose(work);
        }
        return c.serially(background, () -> {
            if (c.isRunning() && c.pid() > 0) {
                return runningRoot(c, readonly).thenCompose(work);
            }
            if (c.status() == Status.REMOVING) {
                throw EngineException.conflict("container " + c.id() + " is marked for removal");
            }
            return peers.mountSnapshot(c.id()).thenCompose(rootfs -> {
                CompletableFuture<T> done;
                try {
                    done = work.apply(new ContainerRoot(Path.of(rootfs), withHostFiles(c), true, readonly));
                } catch (RuntimeException e) {
                    done = CompletableFuture.failedFuture(e);
                }
                return done.handle((value, failure) -> peers.unmountSnapshot(c.id())
                        .handle((v, unmountFailure) -> {
                            if (failure != null) {
                                throw failure instanceof java.util.concurrent.CompletionException ce
                                        ? ce : new java.util.concurrent.CompletionException(failure);
                            }
                            if (unmountFailure != null) {
                                throw new java.util.concurrent.CompletionException(unmountFailure);
                            }
                            return value;
                        })).thenCompose(f -> f);
            });
        });
    }

    /**
     * The mounts --volumes-from takes from other containers. An unknown container is a 400, not
     * dockerd's 404: the CLI answers a 404 from create by pulling the image.
     */
    private List<MountSpec> volumesFrom(HostConfig hostConfig) {
        List<MountSpec> inherited = new ArrayList<>();
        for (String spec : hostConfig.volumesFrom() == null ? List.<String>of() : hostConfig.volumesFrom()) {
            MountSpecs.VolumesFrom from = MountSpecs.parseVolumesFrom(spec);
            Container source = registry.find(from.container());
            if (source == null) {
                throw EngineException.invalid("No such container: " + from.container());
            }
            for (MountSpec mount : source.mounts()) {
                if (mount.shown()) {
                    inherited.add(MountSpecs.inherit(mount, from.readOnly()));
                }
            }
        }
        return inherited;
    }

    /** Capabilities, --security-opt, --device and --init are refused at create, not at the first start. */
    private static void checkSecurity(HostConfig hostConfig) {
        SecurityOptions.resolve(hostConfig, Capabilities.ofThisProcess(), SeccompProfile.defaultProfile());
        DeviceMappings.resolve(hostConfig.devices());
        if (Boolean.TRUE.equals(hostConfig.init())) {
            InitProcess.check();
        }
    }

    /**
     * A stopped container's mounts with the files it runs with over the image's (/etc/hostname,
     * /etc/hosts, /etc/resolv.conf), so that cp reads and writes the same files as the container.
     */
    private static List<MountSpec> withHostFiles(Container c) {
        List<MountSpec> mounts = new ArrayList<>(c.mounts());
        for (String name : List.of("hostname", "hosts", "resolv.conf")) {
            Path file = c.stateDir().resolve(name);
            if (Files.isRegularFile(file)) {
                mounts.add(new MountSpec(MountSpec.BIND, "", file.toString(), "/etc/" + name, false, "", "rprivate", false,
                        List.of(), true, false, false, false));
            }
        }
        return mounts;
    }

    /** The destinations of the image's VOLUMEs and of -v /path (Config.Volumes). */
    private static List<String> imageVolumes(ContainerConfig requested, ContainerConfig image) {
        List<String> paths = new ArrayList<>();
        for (ContainerConfig config : List.of(image, requested)) {
            if (config.volumes() != null) {
                paths.addAll(config.volumes().keySet());
            }
        }
        return paths;
    }

    /** The mounts with their volumes made (a named one on first use, an anonymous one each time). */
    private List<MountSpec> withVolumes(List<MountSpec> checked) {
        List<MountSpec> mounts = new ArrayList<>();
        try {
            for (MountSpec mount : checked) {
                mounts.add(mount.isVolume() ? lifecycle.volumes().forContainer(mount) : mount);
            }
        } catch (RuntimeException e) {
            lifecycle.volumes().released(mounts, true);
            throw e;
        }
        return mounts;
    }

    /** The image's own Config (Docker's shape, as the graph worker keeps it verbatim). */
    private static ContainerConfig imageConfig(ImageView image) {
        if (image.config() == null || image.config().isNull()) {
            return ContainerConfig.empty();
        }
        try {
            return JobCodec.mapper().treeToValue(image.config(), ContainerConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw EngineException.internal("the config of image " + image.id() + " is unreadable: " + e.getMessage(), e);
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

    /**
     * What dockerd checks of the config at create: a container that stored a bad stop signal
     * could never be stopped gracefully, and a relative working directory has no meaning.
     */
    static void validateConfig(ContainerConfig config) {
        String stopSignal = config.stopSignal();
        if (stopSignal != null && !stopSignal.isEmpty()) {
            Signals.parse(stopSignal);
        }
        String workingDir = config.workingDir();
        if (workingDir != null && !workingDir.isEmpty() && !workingDir.startsWith("/")) {
            throw EngineException.invalid("the working directory '" + workingDir + "' is invalid, it needs to be an absolute path");
        }
    }

    /**
     * An endpoint names a network to join; one Berth does not have was accepted and the container
     * joined the default network instead. Like an unknown NetworkMode, it is a 400 (a 404 from
     * create makes the CLI try to pull the image).
     */
    static void validateEndpoints(NetworkingConfig networking, String networkMode) {
        if (networking == null) {
            return;
        }
        for (String network : networking.endpoints().keySet()) {
            if (!List.of("bridge", "host", "none").contains(network) && !network.equals(networkMode)) {
                throw EngineException.invalid("network " + network + " not found");
            }
        }
    }

    private void validateHostConfig(HostConfig hostConfig) {
        ResourceLimits.validate(hostConfig, Runtime.getRuntime().availableProcessors(), ContainerLifecycle::daemonHardLimit);
        ExtraHosts.check(hostConfig.extraHosts());
        String policy = hostConfig.restartPolicyName();
        if (hostConfig.autoRemoveEnabled() && !policy.isEmpty() && !policy.equals("no")) {
            throw EngineException.invalid("can't create 'AutoRemove' container with restart policy");
        }
        if (!policy.isEmpty() && !List.of("no", "always", "unless-stopped", "on-failure").contains(policy)) {
            throw EngineException.invalid("invalid restart policy '" + policy + "'");
        }
        // A 404 from create makes the CLI try to pull the image, so an unknown network is a 400.
        // container:<ref> is resolved at start, as dockerd does (the other may not exist yet).
    }

    /**
     * A NetworkMode that names a user network is the network worker's to find; its 404 becomes
     * a 400 here, as a 404 from create makes the CLI try to pull the image.
     */
    private CompletableFuture<Void> checkNetwork(String mode) {
        if (mode == null || mode.startsWith("container:") || List.of("", "default", "bridge", "host", "none").contains(mode)) {
            return CompletableFuture.completedFuture(null);
        }
        return peers.checkNetwork(mode).exceptionally(failure -> {
            EngineException error = EngineException.from(failure);
            throw error.kind() == ErrorKind.NOT_FOUND ? EngineException.invalid(error.getMessage()) : error;
        });
    }

    // ---- lifecycle --------------------------------------------------------------------------

    public CompletableFuture<Void> start(String ref) {
        return lifecycle.start(registry.resolve(ref));
    }

    public CompletableFuture<Void> stop(String ref, Integer timeout, String signal) {
        if (timeout != null && timeout > ContainerJobTypes.MAX_STOP_TIMEOUT_SECONDS) {
            throw EngineException.invalid("berth does not support a stop timeout above "
                    + ContainerJobTypes.MAX_STOP_TIMEOUT_SECONDS + " seconds yet");
        }
        return lifecycle.stop(registry.resolve(ref), timeout, signal);
    }

    public CompletableFuture<Void> restart(String ref, Integer timeout, String signal) {
        if (timeout != null && timeout > ContainerJobTypes.MAX_STOP_TIMEOUT_SECONDS) {
            throw EngineException.invalid("berth does not support a stop timeout above "
                    + ContainerJobTypes.MAX_STOP_TIMEOUT_SECONDS + " seconds yet");
        }
        if (signal != null && !signal.isEmpty()) {
            Signals.parse(signal);
        }
        return lifecycle.restart(registry.resolve(ref), timeout, signal);
    }

    /** The container a stats stream watches (the same object as its lifecycle changes). */
    public Container container(String ref) {
        return registry.resolve(ref);
    }

    /** What reads the container's resource use, once per sample (blocking: run it on a worker thread). */
    public java.util.function.Supplier<dev.berth.bus.contract.container.StatsSample> sampler(String ref, StatsReader reader) {
        Container c = registry.resolve(ref);
        return () -> reader.read(c);
    }

    public CompletableFuture<Void> update(String ref, HostConfig changes) {
        return lifecycle.update(registry.resolve(ref), changes);
    }

    public CompletableFuture<Void> pause(String ref) {
        return lifecycle.pause(registry.resolve(ref));
    }

    public CompletableFuture<Void> unpause(String ref) {
        return lifecycle.unpause(registry.resolve(ref));
    }

    public CompletableFuture<dev.berth.bus.contract.image.CommittedImage> commit(
            dev.berth.bus.contract.container.CommitContainer args) {
        return lifecycle.commit(registry.resolve(args.ref()), args);
    }

    public CompletableFuture<dev.berth.bus.contract.container.ProcessTable> top(String ref, String psArgs) {
        return lifecycle.top(registry.resolve(ref), psArgs);
    }

    /** `docker rename`, with dockerd's refusals; the new name is claimed before the old one is freed. */
    public CompletableFuture<Void> rename(String ref, String newName) {
        Container c = registry.resolve(ref);
        if (newName == null || newName.isEmpty() || newName.equals("/")) {
            throw EngineException.invalid("Neither old nor new names may be empty");
        }
        String name = Names.validate(newName);
        return c.serially(background, () -> CompletableFuture.supplyAsync(() -> {
            String old = c.name();
            if (name.equals(old)) {
                throw EngineException.invalid("Renaming a container with the same name as its current name");
            }
            try {
                registry.rename(c, name);
            } catch (EngineException e) {
                throw new EngineException(e.kind(), "Error when allocating new name: " + e.getMessage());
            }
            try {
                store.update(c.id(), c.name(), JobCodec.encodeToString(c.toRecord()));
            } catch (IOException | RuntimeException e) {
                registry.rename(c, old);
                throw EngineException.internal("cannot record the new name of " + c.id() + ": " + e.getMessage(), e);
            }
            lifecycle.publish(c, "rename", Map.of("oldName", "/" + old));
            return null;
        }, background));
    }

    /**
     * `docker rm --link parent/alias`: the link leaves the parent's record, so its next start has
     * neither the hosts entry nor the variables; a running parent keeps what it started with, as
     * under dockerd. An alias the parent does not link is dockerd's 404 for the link's name.
     */
    public CompletableFuture<Void> unlink(String parentRef, String alias) {
        Container c = registry.resolve(parentRef);
        return c.serially(background, () -> CompletableFuture.supplyAsync(() -> {
            List<String> links = c.hostConfig().links() == null ? List.of() : c.hostConfig().links();
            List<String> kept = links.stream().filter(link -> !LegacyLinks.Link.parse(link).alias().equals(alias)).toList();
            if (kept.size() == links.size()) {
                throw EngineException.notFound("No such container: /" + c.name() + "/" + alias);
            }
            HostConfig before = c.hostConfig();
            com.fasterxml.jackson.databind.node.ObjectNode json = JobCodec.mapper().valueToTree(before);
            json.set("Links", JobCodec.mapper().valueToTree(kept));
            c.updateHostConfig(JobCodec.mapper().convertValue(json, HostConfig.class));
            try {
                store.update(c.id(), c.name(), JobCodec.encodeToString(c.toRecord()));
            } catch (IOException | RuntimeException e) {
                c.updateHostConfig(before);
                throw EngineException.internal("cannot record the removed link of " + c.id() + ": " + e.getMessage(), e);
            }
            return null;
        }, background));
    }

    /**
     * Publishes a container event that another part of the engine saw happen (a commit or an
     * export that the gateway drove, a copy), with the attributes every container event carries.
     */
    public void announce(String ref, String action, Map<String, String> extra) {
        lifecycle.publish(registry.resolve(ref), action, extra == null ? Map.of() : extra);
    }

    /** docker network connect; NOT_FOUND for an unknown container or network. */
    public CompletableFuture<Void> connectNetwork(dev.berth.bus.contract.container.ConnectContainer args) {
        return lifecycle.connectNetwork(registry.resolve(args.containerRef()), args);
    }

    public CompletableFuture<Void> disconnectNetwork(dev.berth.bus.contract.container.DisconnectContainer args) {
        return lifecycle.disconnectNetwork(registry.resolve(args.containerRef()), args.network(), args.force());
    }

    public CompletableFuture<Void> kill(String ref, String signal) {
        return lifecycle.kill(registry.resolve(ref), signal);
    }

    public CompletableFuture<Void> remove(String ref, boolean force, boolean volumes) {
        return lifecycle.remove(registry.resolve(ref), force, volumes);
    }

    /**
     * `docker container prune`: removes the stopped containers the filters keep, one by one as
     * `docker rm` would; one that started or went meanwhile is skipped, not an error.
     */
    public CompletableFuture<dev.berth.bus.contract.container.ContainersPruned> prune(Map<String, List<String>> filters) {
        PruneFilter filter = new PruneFilter(filters, java.time.Instant.now());
        List<String> removed = java.util.Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> removals = new ArrayList<>();
        for (Container c : registry.all()) {
            if (filter.removes(c)) {
                removals.add(lifecycle.remove(c, false).handle((v, failure) -> {
                    if (failure == null) {
                        removed.add(c.id());
                    }
                    return null;
                }));
            }
        }
        return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new))
                .thenApply(v -> {
                    // dockerd's prune event has no actor, only what was reclaimed (0 while sizes are not computed).
                    peers.publish(dev.berth.bus.EngineEvent.now("container", "prune", "", Map.of("reclaimed", "0")));
                    return new dev.berth.bus.contract.container.ContainersPruned(removed.isEmpty() ? null : List.copyOf(removed), 0);
                });
    }

    // ---- queries ----------------------------------------------------------------------------

    public ContainerView inspect(String ref) {
        return registry.resolve(ref).view(storageDriver);
    }

    /** The containers a `docker ps` shows; image references in ancestor filters are resolved first. */
    public CompletableFuture<ContainerList> list(ListContainers args) {
        Map<String, String> imageIds = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> lookups = new ArrayList<>();
        List<String> ancestors = args.filters() == null ? List.of() : args.filters().getOrDefault("ancestor", List.of());
        for (String image : ancestors) {
            lookups.add(peers.inspectImage(image).handle((found, failure) -> {
                if (failure == null) {
                    imageIds.put(image, found.id());
                    return null;
                }
                EngineException error = EngineException.from(failure);
                if (error.kind() != ErrorKind.NOT_FOUND) {
                    throw error;
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
                .thenApply(v -> select(args, new ContainerFilters(args.filters(), imageIds::get, registry::find)));
    }

    private ContainerList select(ListContainers args, ContainerFilters filter) {
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
            views.add(c.view(storageDriver));
        }
        return new ContainerList(views);
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

    /**
     * Sets up an attach session, in the container's serial order so that a start queued after it
     * connects it; the header tells the gateway how to frame the output.
     */
    public CompletableFuture<AttachAccepted> attach(String ref, JobStream stream, boolean stdin, boolean stdout, boolean stderr,
            String detachKeys) {
        Container c = registry.resolve(ref);
        DetachKeys keys = DetachKeys.parse(detachKeys);
        boolean wantsStdin = stdin && c.openStdin();
        return c.serially(background, () -> {
            AttachSession session = new AttachSession(stream, wantsStdin, stdout, stderr, c.stdinOnce(), c.tty(), background);
            if (c.tty()) {
                session.detachOn(keys, () -> lifecycle.publish(c, "detach", Map.of()));
            }
            if (c.isRunning()) {
                try {
                    session.connect(Conmon.attachSocket(lifecycle.bundle(c)));
                } catch (IOException e) {
                    session.finish();
                    throw EngineException.internal("cannot attach to container " + c.id() + ": " + e.getMessage(), e);
                }
            } else if (c.status() == Status.REMOVING) {
                session.finish();
            } else {
                c.pendingAttaches().add(session);
            }
            lifecycle.publish(c, "attach", Map.of());
            return CompletableFuture.completedFuture(new AttachAccepted(c.tty(), c.openStdin(), c.stdinOnce()));
        });
    }

    /** Tells conmon the terminal size; conmon passes it to the container's pty. */
    public void resize(String ref, int height, int width) throws IOException {
        Container c = registry.resolve(ref);
        if (!c.isRunning()) {
            throw EngineException.conflict("Container " + c.id() + " is not running");
        }
        if (c.tty()) {
            Path fifo = Conmon.controlFifo(lifecycle.bundle(c));
            if (!Files.exists(fifo)) {
                throw EngineException.conflict("Container " + c.id() + " has no terminal to resize");
            }
            if (!FifoWriter.writeIfRead(fifo, ("1 " + height + " " + width + "\n").getBytes(StandardCharsets.US_ASCII))) {
                throw EngineException.conflict("Container " + c.id() + " is not running: its conmon is gone");
            }
        }
        // dockerd announces every resize its runtime accepted, a container without a terminal's too.
        lifecycle.publish(c, "resize", Map.of("height", Integer.toString(height), "width", Integer.toString(width)));
    }

    /**
     * Asks the container's conmon to start a new log file (its control message 2): it renames a
     * fresh file over the log's name and writes there from then on. A container that is not
     * running has no conmon to ask, and nothing that writes to its log: nothing to do.
     */
    public void reopenLog(String ref) throws IOException {
        Container c = registry.resolve(ref);
        Path fifo = Conmon.controlFifo(lifecycle.bundle(c));
        if (c.isRunning() && Files.exists(fifo)) {
            FifoWriter.writeIfRead(fifo, "2 0 0\n".getBytes(StandardCharsets.US_ASCII));
        }
    }
}
