package dev.berth.exec.container;

import dev.berth.bus.JobCodec;
import dev.berth.bus.EngineEvent;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.exec.attach.AttachSession;
import dev.berth.exec.oci.OciSpecBuilder;
import dev.berth.exec.oci.ProcessUser;
import dev.berth.exec.oci.RootfsPaths;
import dev.berth.exec.oci.RuntimeSpec;
import dev.berth.exec.oci.Signals;
import dev.berth.exec.oci.UserResolver;
import dev.berth.exec.runtime.Conmon;
import dev.berth.exec.runtime.ConmonLaunch;
import dev.berth.exec.runtime.OciRuntime;
import dev.berth.exec.store.ContainerStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's life under conmon and the runtime: start, exit, stop, kill, removal, and the
 * reconciliation after berthd restarts. Operations on one container are serialised by its lock;
 * waiting for an exit happens without it, because the exit is handled under it.
 */
public final class ContainerRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerRunner.class);
    private static final int DEFAULT_STOP_TIMEOUT = 10;
    private static final long KILL_WAIT_SECONDS = 30;

    /** Where the runner keeps things and how it runs containers. */
    public record Settings(Path runDir, String cgroupParent, long nofileLimit, boolean cgroupNamespace) {
    }

    private final ContainerRegistry registry;
    private final ContainerStore store;
    private final Peers peers;
    private final OciRuntime runtime;
    private final Conmon conmon;
    private final Settings settings;
    private final Executor background;

    public ContainerRunner(ContainerRegistry registry, ContainerStore store, Peers peers, OciRuntime runtime, Conmon conmon,
            Settings settings, Executor background) {
        this.registry = registry;
        this.store = store;
        this.peers = peers;
        this.runtime = runtime;
        this.conmon = conmon;
        this.settings = settings;
        this.background = background;
    }

    Path bundle(Container c) {
        return settings.runDir().resolve("containers").resolve(c.id());
    }

    void persist(Container c) {
        try {
            store.update(c.id(), c.name(), JobCodec.encode(c.toRecord()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void publish(Container c, String action, Map<String, String> extra) {
        Map<String, String> attributes = new HashMap<>();
        attributes.putAll(c.labels());
        attributes.put("name", c.name());
        attributes.put("image", c.imageRef().isEmpty() ? c.imageId() : c.imageRef());
        attributes.putAll(extra);
        peers.publish(EngineEvent.now("container", action, c.id(), attributes));
    }

    // ---- start ------------------------------------------------------------------------------

    public void start(Container c) throws IOException {
        c.lock().lock();
        try {
            if (c.status() == Status.REMOVING) {
                throw EngineException.conflict("container " + c.id() + " is marked for removal and cannot be started");
            }
            if (c.isRunning()) {
                throw EngineException.notModified("container already started");
            }
            startLocked(c);
        } finally {
            c.lock().unlock();
        }
        publish(c, "start", Map.of());
    }

    private void startLocked(Container c) throws IOException {
        String networkMode = c.hostConfig().effectiveNetworkMode();
        String netns = null;
        boolean ownsSandbox = false;
        String rootfs = null;
        Path bundle = bundle(c);
        StartTimings timings = new StartTimings();
        try {
            if (networkMode.startsWith("container:")) {
                Container other = registry.resolve(networkMode.substring("container:".length()));
                if (!other.isRunning()) {
                    throw EngineException.conflict("cannot join network of a non running container: " + other.id());
                }
                netns = other.netnsPath();
            } else {
                netns = peers.createSandbox(c.id(), networkMode).orElse(null);
                ownsSandbox = true;
            }
            timings.mark("sandbox");
            rootfs = peers.mountSnapshot(c.id());
            timings.mark("mount");
            boolean hostNetwork = "host".equals(networkMode);
            List<String> dns = c.hostConfig().dnsServers();
            HostFiles.write(c.stateDir(), c.hostname(), hostNetwork, dns);

            Path rootfsPath = Path.of(rootfs);
            ProcessUser user = UserResolver.resolve(rootfsPath, Objects.requireNonNullElse(c.config().user(), ""));
            String cwd = Objects.requireNonNullElse(c.config().workingDir(), "");
            if (cwd.isEmpty()) {
                cwd = "/";
            } else {
                RootfsPaths.mkdirs(rootfsPath, cwd);
            }
            RuntimeSpec spec = new RuntimeSpec(
                    command(c),
                    ImageDefaults.processEnv(c.config().env(), c.hostname(), c.tty(), user.home()),
                    cwd, user, c.tty(), c.hostname(), rootfsPath,
                    c.hostConfig().readonlyRootfsEnabled(),
                    c.hostConfig().privilegedEnabled(),
                    settings.cgroupParent() + "/" + c.id(),
                    netns == null ? null : Path.of(netns),
                    settings.cgroupNamespace(),
                    List.of(new RuntimeSpec.HostFile(c.stateDir().resolve("hostname"), "/etc/hostname", false),
                            new RuntimeSpec.HostFile(c.stateDir().resolve("hosts"), "/etc/hosts", false),
                            new RuntimeSpec.HostFile(c.stateDir().resolve("resolv.conf"), "/etc/resolv.conf", false)),
                    settings.nofileLimit());
            prepareBundle(bundle);
            Files.writeString(bundle.resolve("config.json"), OciSpecBuilder.build(spec).encode(), StandardCharsets.UTF_8);
            Files.deleteIfExists(conmon.exitDir().resolve(c.id()));
            if (runtime.hasState(c.id())) {
                runtime.delete(c.id(), true);
            }
            timings.mark("spec");

            int pid = conmon.launch(new ConmonLaunch(c.id(), c.name(), bundle, c.logPath(), c.openStdin(),
                    !c.stdinOnce(), c.tty()));
            timings.mark("create");
            connectPendingAttaches(c, bundle);
            runtime.start(c.id());
            timings.mark("start");
            c.markRunning(pid, Conmon.conmonPid(bundle), netns, ownsSandbox, rootfs);
            persist(c);
            timings.mark("record");
            LOG.debug("started {}: {}", c.id(), timings);
        } catch (IOException | RuntimeException e) {
            EngineException failure = EngineException.from(e);
            LOG.info("container {} failed to start: {}", c.id(), failure.getMessage());
            rollbackStart(c, bundle, ownsSandbox, rootfs != null);
            int code = failure.getMessage().contains("permission denied") ? 126
                    : failure.getMessage().contains("executable file not found")
                            || failure.getMessage().contains("no such file or directory") ? 127 : 128;
            c.markStartFailed(code, failure.getMessage());
            persist(c);
            finishPendingAttaches(c);
            if (c.autoRemove()) {
                background.execute(() -> removeQuietly(c));
            }
            throw failure;
        }
    }

    /** Where the time of a start goes, for the debug log. */
    private static final class StartTimings {
        private final StringBuilder text = new StringBuilder();
        private long last = System.nanoTime();

        void mark(String phase) {
            long now = System.nanoTime();
            text.append(phase).append(' ').append((now - last) / 100_000 / 10.0).append("ms ");
            last = now;
        }

        @Override
        public String toString() {
            return text.toString().trim();
        }
    }

    private static List<String> command(Container c) {
        List<String> args = c.command();
        if (args.isEmpty()) {
            throw EngineException.invalid("No command specified");
        }
        return args;
    }

    /** A fresh bundle directory: leftovers of a previous run (sockets, FIFOs, pid files) go. */
    private static void prepareBundle(Path bundle) throws IOException {
        if (Files.exists(bundle)) {
            deleteTree(bundle);
        }
        Files.createDirectories(bundle.resolve("persist"));
    }

    private void connectPendingAttaches(Container c, Path bundle) {
        List<Object> pending = new ArrayList<>(c.pendingAttaches());
        c.pendingAttaches().clear();
        for (Object item : pending) {
            AttachSession session = (AttachSession) item;
            try {
                session.connect(Conmon.attachSocket(bundle));
            } catch (IOException e) {
                LOG.warn("cannot attach to {}: {}", c.id(), e.toString());
                session.finish();
            }
        }
    }

    private void finishPendingAttaches(Container c) {
        for (Object item : c.pendingAttaches()) {
            ((AttachSession) item).finish();
        }
        c.pendingAttaches().clear();
    }

    private void rollbackStart(Container c, Path bundle, boolean ownsSandbox, boolean mounted) {
        int conmonPid = Conmon.conmonPid(bundle);
        if (conmonPid > 0 && Conmon.isAlive(conmonPid, c.id())) {
            ProcessHandle.of(conmonPid).ifPresent(ProcessHandle::destroyForcibly);
        }
        try {
            runtime.delete(c.id(), true);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cleanup of {} after a failed start: {}", c.id(), e.toString());
        }
        releaseResources(c.id(), ownsSandbox, mounted);
    }

    private void releaseResources(String id, boolean ownsSandbox, boolean mounted) {
        if (mounted) {
            try {
                peers.unmountSnapshot(id);
            } catch (RuntimeException e) {
                LOG.warn("cannot unmount the root file system of {}: {}", id, e.getMessage());
            }
        }
        if (ownsSandbox) {
            try {
                peers.removeSandbox(id);
            } catch (RuntimeException e) {
                LOG.warn("cannot remove the network sandbox of {}: {}", id, e.getMessage());
            }
        }
    }

    // ---- exit -------------------------------------------------------------------------------

    /** conmon reported an exit; handled on a background thread. */
    public void onExit(String id, int exitCode) {
        background.execute(() -> {
            Container c = registry.find(id);
            if (c == null) {
                deleteExitFile(id);
                return;
            }
            handleExit(c, exitCode);
        });
    }

    void handleExit(Container c, int exitCode) {
        c.lock().lock();
        try {
            if (!c.isRunning()) {
                deleteExitFile(c.id());
                return;
            }
            Path bundle = bundle(c);
            boolean oom = Files.exists(bundle.resolve("persist").resolve("oom"));
            deleteRuntimeState(c.id());
            releaseResources(c.id(), c.ownsSandbox(), true);
            c.markExited(exitCode, oom, null);
            persist(c);
            deleteExitFile(c.id());
        } finally {
            c.lock().unlock();
        }
        if (c.exitCode() == exitCode) {
            publish(c, "die", Map.of("exitCode", Integer.toString(exitCode)));
        }
        if (c.autoRemove()) {
            removeQuietly(c);
        }
    }

    private void deleteRuntimeState(String id) {
        try {
            runtime.delete(id, true);
        } catch (IOException | RuntimeException e) {
            LOG.warn("runtime delete of {} failed: {}", id, e.toString());
        }
    }

    private void deleteExitFile(String id) {
        try {
            Files.deleteIfExists(conmon.exitDir().resolve(id));
        } catch (IOException e) {
            LOG.debug("cannot delete the exit file of {}", id);
        }
    }

    // ---- stop, kill -------------------------------------------------------------------------

    public void stop(Container c, Integer timeoutSeconds, String signal) throws IOException {
        if (!c.isRunning()) {
            throw EngineException.notModified("container already stopped");
        }
        String stopSignal = signal != null && !signal.isEmpty() ? signal : c.config().stopSignal();
        int number = Signals.parse(stopSignal == null || stopSignal.isEmpty() ? "SIGTERM" : stopSignal);
        Integer configured = c.config().stopTimeout();
        int timeout = timeoutSeconds != null ? timeoutSeconds : configured != null ? configured : DEFAULT_STOP_TIMEOUT;
        var exit = c.nextExit();
        if (runtime.kill(c.id(), number) && !awaitExit(exit, timeout < 0 ? Long.MAX_VALUE : timeout)) {
            LOG.info("container {} did not stop within {} s of signal {}; killing it", c.id(), timeout, number);
            runtime.kill(c.id(), Signals.SIGKILL);
        }
        if (!awaitExit(exit, KILL_WAIT_SECONDS)) {
            throw new EngineException(ErrorKind.INTERNAL, "container " + c.id() + " did not exit after SIGKILL");
        }
        publish(c, "stop", Map.of());
    }

    public void kill(Container c, String signal) throws IOException {
        int number = Signals.parse(signal == null || signal.isEmpty() ? "SIGKILL" : signal);
        if (!c.isRunning()) {
            throw EngineException.conflict("Cannot kill container: " + c.id() + ": container " + c.id() + " is not running");
        }
        var exit = c.nextExit();
        if (!runtime.kill(c.id(), number)) {
            throw EngineException.conflict("Cannot kill container: " + c.id() + ": container " + c.id() + " is not running");
        }
        publish(c, "kill", Map.of("signal", Integer.toString(number)));
        if (number == Signals.SIGKILL && !awaitExit(exit, KILL_WAIT_SECONDS)) {
            throw new EngineException(ErrorKind.INTERNAL, "container " + c.id() + " did not exit after SIGKILL");
        }
    }

    private static boolean awaitExit(java.util.concurrent.CompletableFuture<?> exit, long seconds) {
        try {
            exit.get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    // ---- removal ----------------------------------------------------------------------------

    public void remove(Container c, boolean force) throws IOException {
        if (c.isRunning()) {
            if (!force) {
                throw EngineException.conflict("cannot remove container \"/" + c.name()
                        + "\": container is running: stop the container before removing or force remove");
            }
            var exit = c.nextExit();
            runtime.kill(c.id(), Signals.SIGKILL);
            if (!awaitExit(exit, KILL_WAIT_SECONDS)) {
                throw new EngineException(ErrorKind.INTERNAL, "could not kill running container " + c.id() + ", cannot remove");
            }
        }
        c.lock().lock();
        try {
            if (registry.find(c.id()) == null) {
                throw EngineException.notFound("No such container: " + c.id());
            }
            if (c.status() == Status.REMOVING) {
                throw EngineException.conflict("removal of container " + c.id() + " is already in progress");
            }
            if (c.isRunning()) {
                throw EngineException.conflict("cannot remove container \"/" + c.name() + "\": container is running");
            }
            c.markRemoving();
            persist(c);
            finishPendingAttaches(c);
            peers.removeSnapshot(c.id());
            deleteTree(bundle(c));
            deleteTree(c.stateDir());
            store.delete(c.id());
            registry.remove(c);
        } finally {
            c.lock().unlock();
        }
        publish(c, "destroy", Map.of());
        c.markRemoved();
    }

    private void removeQuietly(Container c) {
        try {
            remove(c, true);
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof EngineException && ((EngineException) e).kind() == ErrorKind.NOT_FOUND)) {
                LOG.warn("automatic removal of {} failed: {}", c.id(), e.getMessage());
            }
        }
    }

    // ---- restore after a daemon restart -----------------------------------------------------

    /**
     * Reconciles records with reality after berthd starts: a container that exited while the
     * daemon was away is finished; one whose conmon still runs keeps running; one whose conmon
     * vanished without an exit file is marked exited (255); an interrupted removal completes.
     */
    public void restore() {
        for (Container c : List.copyOf(registry.all())) {
            try {
                if (c.status() == Status.REMOVING) {
                    removeQuietly(c);
                } else if (c.isRunning()) {
                    Path exitFile = conmon.exitDir().resolve(c.id());
                    var code = dev.berth.exec.runtime.ExitWatcher.readExitCode(exitFile);
                    if (code.isPresent()) {
                        handleExit(c, code.getAsInt());
                    } else if (!Conmon.isAlive(c.conmonPid(), c.id())) {
                        LOG.warn("container {} lost its conmon while berthd was down; marking it exited", c.id());
                        handleExit(c, 255);
                    } else {
                        LOG.info("container {} is still running (conmon {})", c.id(), c.conmonPid());
                    }
                } else {
                    cleanUpInterruptedStart(c);
                    if (c.autoRemove() && c.status() == Status.EXITED) {
                        removeQuietly(c);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("restoring container {} failed: {}", c.id(), e.getMessage());
            }
        }
    }

    /**
     * berthd died in the middle of a start: the record says the container is not running, but
     * conmon, runtime state, the mount or the namespace may exist. Undo them.
     */
    private void cleanUpInterruptedStart(Container c) {
        Path bundle = bundle(c);
        if (!Files.exists(bundle.resolve("config.json"))) {
            return;
        }
        int conmonPid = Conmon.conmonPid(bundle);
        boolean leftovers = Conmon.isAlive(conmonPid, c.id()) || runtime.hasState(c.id());
        if (leftovers) {
            LOG.warn("container {} was being started when berthd stopped; undoing the start", c.id());
            rollbackStart(c, bundle, true, true);
        }
        try {
            deleteTree(bundle);
        } catch (IOException e) {
            LOG.debug("cannot remove the bundle of {}", c.id());
        }
    }

    static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
