package dev.berth.exec.container;

import dev.berth.bus.contract.container.ContainerConfig;
import dev.berth.bus.contract.container.ContainerState;
import dev.berth.bus.contract.container.ContainerView;
import dev.berth.bus.contract.container.HostConfig;
import dev.berth.bus.contract.container.MountPoint;
import dev.berth.bus.contract.container.NetworkingConfig;
import dev.berth.bus.contract.network.Endpoint;
import dev.berth.exec.volume.MountSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One container: what it was created with, and its state. Operations that change it run one
 * after another through {@link #serially}, which queues them without holding a thread or a lock
 * while one of them waits for another worker or for the runtime; readers take a {@link #view()}
 * snapshot at any time. Status changes follow {@link Status#canMoveTo}. The record part is
 * persisted ({@link StoredContainer}); the futures are how waiters learn of the next exit and of
 * removal.
 */
public final class Container {
    public static final String ZERO_TIME = ContainerState.ZERO_TIME;

    private CompletableFuture<?> lastOperation = CompletableFuture.completedFuture(null);
    private final String id;
    private volatile String name;
    private final Instant created;
    private final String imageId;
    private final ContainerConfig config;
    private volatile HostConfig hostConfig;
    private volatile NetworkingConfig networkingConfig;
    /** docker network connect/disconnect changed its networks: networkingConfig lists every one it joins. */
    private volatile boolean networksChosen;
    private final String hostname;
    private final Path logPath;
    private final Path stateDir;

    private volatile Status status = Status.CREATED;
    private volatile int pid;
    private volatile int conmonPid;
    private volatile int exitCode;
    private volatile String error = "";
    private volatile boolean oomKilled;
    private volatile String startedAt = ZERO_TIME;
    /** The health of the current or last run, null without a health check (in memory only). */
    private volatile HealthState health;
    private final Object healthLock = new Object();
    private volatile String finishedAt = ZERO_TIME;
    private volatile int restartCount;
    private volatile String netnsPath;
    private volatile boolean ownsSandbox;
    private volatile String rootfs;
    private volatile List<Endpoint> endpoints = List.of();
    /** Set once at create, before the container is shown to anyone. */
    private volatile List<MountSpec> mounts = List.of();
    /** Stopped or killed by a user: restart policies (but "always" at a daemon restart) leave it stopped. */
    private volatile boolean manuallyStopped;
    /** The restart policy's current back-off; 0 before the first restart. */
    private volatile long restartDelayMillis;
    /** Written when the container exits with its exit code and error; replaced at each exit. */
    private volatile CompletableFuture<ExitReport> nextExit = new CompletableFuture<>();
    private final CompletableFuture<ExitReport> removed = new CompletableFuture<>();
    private final List<Object> pendingAttaches = new ArrayList<>();

    /** How a run ended: the code and, when the start itself failed, why. */
    public record ExitReport(int exitCode, String error) {
    }

    public Container(String id, String name, Instant created, String imageId, ContainerConfig config, HostConfig hostConfig,
            NetworkingConfig networkingConfig, String hostname, Path stateDir, Path logPath) {
        this.id = id;
        this.name = name;
        this.created = created;
        this.imageId = imageId;
        this.config = config == null ? ContainerConfig.empty() : config;
        this.hostConfig = hostConfig == null ? HostConfig.empty() : hostConfig;
        this.networkingConfig = networkingConfig == null ? new NetworkingConfig(null) : networkingConfig;
        this.hostname = hostname;
        this.stateDir = stateDir;
        this.logPath = logPath;
    }

    /**
     * Queues an operation that changes this container: it starts, on the executor, once every
     * operation queued before it has finished, whatever their outcome.
     */
    public synchronized <T> CompletableFuture<T> serially(Executor executor, Supplier<CompletableFuture<T>> operation) {
        CompletableFuture<T> result = lastOperation.handle((ignored, failure) -> null)
                .thenComposeAsync(ignored -> operation.get(), executor);
        lastOperation = result;
        return result;
    }

    private void moveTo(Status next) {
        if (!status.canMoveTo(next)) {
            throw new IllegalStateException("container " + id + " cannot go from " + status.dockerName() + " to " + next.dockerName());
        }
        status = next;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Instant created() {
        return created;
    }

    public String imageId() {
        return imageId;
    }

    /** The create-time Config merged with the image's defaults. */
    public ContainerConfig config() {
        return config;
    }

    public HostConfig hostConfig() {
        return hostConfig;
    }

    /** The image as the client named it at create. */
    public String imageRef() {
        return config.image() == null ? "" : config.image();
    }

    public Map<String, String> labels() {
        return config.labels() == null ? Map.of() : config.labels();
    }

    public String hostname() {
        return hostname;
    }

    public Path logPath() {
        return logPath;
    }

    public Path stateDir() {
        return stateDir;
    }

    public Status status() {
        return status;
    }

    public boolean isRunning() {
        return status == Status.RUNNING || status == Status.PAUSED || status == Status.RESTARTING;
    }

    public int pid() {
        return pid;
    }

    public int conmonPid() {
        return conmonPid;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The mounted root file system while the container runs, else null. */
    public String rootfs() {
        return rootfs;
    }

    public String netnsPath() {
        return netnsPath;
    }

    public boolean ownsSandbox() {
        return ownsSandbox;
    }

    /**
     * The endpoint configs of the create (--ip, --network-alias, --mac-address), or once
     * {@link #networksChosen()}, of every network it joins; never null.
     */
    public NetworkingConfig networkingConfig() {
        return networkingConfig;
    }

    public boolean networksChosen() {
        return networksChosen;
    }

    /** docker network connect/disconnect: from now on these are the networks it joins, in this order. */
    void chooseNetworks(java.util.Map<String, NetworkingConfig.EndpointSettings> networks) {
        java.util.Map<String, NetworkingConfig.EndpointSettings> copy = new java.util.LinkedHashMap<>();
        // No null settings: the record is written without nulls, and an entry must not vanish with its value.
        networks.forEach((network, settings) -> copy.put(network, settings != null ? settings
                : new NetworkingConfig.EndpointSettings(null, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, null)));
        networkingConfig = new NetworkingConfig(java.util.Collections.unmodifiableMap(copy));
        networksChosen = true;
    }

    /** Undoes {@link #chooseNetworks} when its record could not be written. */
    void restoreNetworks(NetworkingConfig before, boolean chosenBefore) {
        networkingConfig = before;
        networksChosen = chosenBefore;
    }

    /** The networks the running container is attached to, as the network worker made them. */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    public void attachedTo(List<Endpoint> made) {
        endpoints = List.copyOf(made);
    }

    public boolean tty() {
        return config.ttyEnabled();
    }

    public boolean openStdin() {
        return config.openStdinEnabled();
    }

    public boolean stdinOnce() {
        return config.stdinOnceEnabled();
    }

    public boolean autoRemove() {
        return hostConfig.autoRemoveEnabled();
    }

    /** Entrypoint then Cmd: the process the container runs. */
    public List<String> command() {
        List<String> command = new ArrayList<>();
        if (config.entrypoint() != null) {
            command.addAll(config.entrypoint());
        }
        if (config.cmd() != null) {
            command.addAll(config.cmd());
        }
        return command;
    }

    public CompletableFuture<ExitReport> nextExit() {
        return nextExit;
    }

    public CompletableFuture<ExitReport> removed() {
        return removed;
    }

    /** Attach sessions waiting for the next start; touched only by serial operations. */
    public List<Object> pendingAttaches() {
        return pendingAttaches;
    }

    // ---- state changes; made by serial operations ------------------------------------------

    public void markRunning(int containerPid, int conmon, String netns, boolean sandboxOwned, String rootfsPath) {
        moveTo(Status.RUNNING);
        pid = containerPid;
        conmonPid = conmon;
        netnsPath = netns;
        ownsSandbox = sandboxOwned;
        rootfs = rootfsPath;
        startedAt = Instant.now().toString();
        error = "";
        exitCode = 0;
        oomKilled = false;
    }

    /** Ends a run; returns the report handed to waiters. */
    public ExitReport markExited(int code, boolean oom, String failure) {
        return markExited(code, oom, failure, () -> {
        });
    }

    /**
     * Ends a run, and runs {@code recorded} once the end is recorded here but before waiters for
     * the exit hear of it: what the exit monitor announces then (die) comes before what a
     * waiter does next (a stop's stop event, a `docker wait` answer).
     */
    public ExitReport markExited(int code, boolean oom, String failure, Runnable recorded) {
        boolean wasRunning = isRunning();
        if (wasRunning) {
            moveTo(Status.EXITED);
        }
        oomKilled = oom;
        endRun(code, failure);
        if (wasRunning) {
            finishedAt = Instant.now().toString();
        }
        ExitReport report = new ExitReport(code, failure);
        CompletableFuture<ExitReport> finished = nextExit;
        nextExit = new CompletableFuture<>();
        try {
            recorded.run();
        } finally {
            // Waiters hear of the exit even if recording it failed.
            finished.complete(report);
        }
        return report;
    }

    /**
     * A start that failed before the process ran: the code and error are recorded, but waiters
     * for the next exit keep waiting, since nothing exited (as with dockerd).
     */
    public void markStartFailed(int code, String failure) {
        endRun(code, failure);
    }

    private void endRun(int code, String failure) {
        exitCode = code;
        error = failure == null ? "" : failure;
        pid = 0;
        conmonPid = 0;
        netnsPath = null;
        ownsSandbox = false;
        rootfs = null;
        endpoints = List.of();
    }

    /** New resource limits (docker update); the caller has applied them to the cgroup. */
    void updateHostConfig(HostConfig updated) {
        hostConfig = updated;
    }

    public boolean manuallyStopped() {
        return manuallyStopped;
    }

    public void markManuallyStopped(boolean stopped) {
        manuallyStopped = stopped;
    }

    public int restartCount() {
        return restartCount;
    }

    /**
     * The health of the current run, begun (starting, the last run's log kept) when first asked
     * for once the container runs with a check; else that of the last run, or null.
     */
    public HealthState health() {
        synchronized (healthLock) {
            var check = config == null ? null : config.healthcheck();
            if (status == Status.RUNNING && check != null && !check.disablesChecks()
                    && (health == null || !health.belongsTo(startedAt))) {
                health = new HealthState(check, startedAt, System.nanoTime(), health);
            }
            return health;
        }
    }

    void health(HealthState state) {
        this.health = state;
    }

    public String startedAt() {
        return startedAt;
    }

    public String finishedAt() {
        return finishedAt;
    }

    long restartDelayMillis() {
        return restartDelayMillis;
    }

    void restartDelayMillis(long millis) {
        restartDelayMillis = millis;
    }

    /** The policy will start it again after its back-off. */
    void markRestarting() {
        moveTo(Status.RESTARTING);
        restartCount++;
    }

    /** A pending policy restart was called off (stop, kill, remove). */
    void cancelRestart() {
        if (status == Status.RESTARTING) {
            moveTo(Status.EXITED);
        }
    }

    /** A user's start begins the count again, as dockerd does. */
    void resetRestarts() {
        restartCount = 0;
        restartDelayMillis = 0;
        manuallyStopped = false;
    }

    public void markPaused() {
        moveTo(Status.PAUSED);
    }

    public void markUnpaused() {
        moveTo(Status.RUNNING);
    }

    /** The new name; the registry's index of names is the caller's to change. */
    void rename(String newName) {
        name = newName;
    }

    public void markRemoving() {
        moveTo(Status.REMOVING);
    }

    public void markRemoved() {
        removed.complete(new ExitReport(exitCode, null));
    }

    // ---- persistence ----------------------------------------------------------------------

    /** Its binds, volumes and tmpfs mounts, as checked at create. */
    public List<MountSpec> mounts() {
        return mounts;
    }

    /** Sets the mounts of a container being created. */
    void useMounts(List<MountSpec> checked) {
        mounts = List.copyOf(checked);
    }

    private static MountPoint mountPoint(MountSpec m) {
        return new MountPoint(m.type(), m.name(), m.source(), m.destination(), m.isVolume() ? "local" : "", m.mode(),
                !m.readOnly(), m.propagation());
    }

    public StoredContainer toRecord() {
        return new StoredContainer(id, name, created.toString(), imageId, config, hostConfig, networkingConfig, hostname,
                stateDir.toString(), logPath.toString(), new StoredContainer.State(status.dockerName(), pid, conmonPid,
                        exitCode, error, oomKilled, startedAt, finishedAt, restartCount, netnsPath, ownsSandbox, rootfs, endpoints,
                        manuallyStopped), mounts, networksChosen ? Boolean.TRUE : null);
    }

    public static Container fromRecord(StoredContainer record) {
        Container c = new Container(record.id(), record.name(), Instant.parse(record.created()), record.imageId(),
                record.config(), record.hostConfig(), record.networkingConfig(), record.hostname(),
                Path.of(record.stateDir()), Path.of(record.logPath()));
        StoredContainer.State state = record.state() == null ? StoredContainer.State.CREATED : record.state();
        c.status = Status.of(state.status() == null ? "created" : state.status());
        c.pid = state.pid();
        c.conmonPid = state.conmonPid();
        c.exitCode = state.exitCode();
        c.error = state.error() == null ? "" : state.error();
        c.oomKilled = state.oomKilled();
        c.startedAt = state.startedAt() == null ? ZERO_TIME : state.startedAt();
        c.finishedAt = state.finishedAt() == null ? ZERO_TIME : state.finishedAt();
        c.restartCount = state.restartCount();
        c.netnsPath = state.netnsPath();
        c.ownsSandbox = state.ownsSandbox();
        c.rootfs = state.rootfs();
        c.endpoints = state.endpoints() == null ? List.of() : state.endpoints();
        c.mounts = record.mounts() == null ? List.of() : List.copyOf(record.mounts());
        c.manuallyStopped = state.manuallyStopped();
        c.networksChosen = Boolean.TRUE.equals(record.networksChosen());
        return c;
    }

    /** The container as the gateway and other workers see it (container.inspect, container.list). */
    public ContainerView view(String storageDriver) {
        List<String> command = command();
        String path = command.isEmpty() ? "" : command.get(0);
        List<String> args = command.size() > 1 ? List.copyOf(command.subList(1, command.size())) : List.of();
        ContainerState state = new ContainerState(status.dockerName(), isRunning(), status == Status.PAUSED,
                status == Status.RESTARTING, oomKilled, status == Status.DEAD, pid, exitCode, error, startedAt, finishedAt,
                health() == null ? null : health().view());
        return new ContainerView(id, name, created.toString(), imageId, imageRef(), path, args, config, hostConfig,
                new NetworkingConfig(ContainerNetworks.joined(this)), state, restartCount, logPath.toString(), stateDir.resolve("hostname").toString(),
                stateDir.resolve("hosts").toString(), stateDir.resolve("resolv.conf").toString(), storageDriver, rootfs, netnsPath, endpoints,
                mounts.stream().filter(MountSpec::shown).map(Container::mountPoint).toList());
    }
}
