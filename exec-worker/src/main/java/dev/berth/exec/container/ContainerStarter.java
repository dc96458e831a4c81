package dev.berth.exec.container;

import dev.berth.host.FileTrees;
import dev.berth.bus.contract.container.HostConfig;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.EngineException;
import dev.berth.bus.contract.container.NetworkingConfig;
import dev.berth.bus.contract.network.ConnectEndpoint;
import dev.berth.bus.contract.network.Endpoint;
import dev.berth.bus.contract.network.SandboxRequest;
import dev.berth.exec.attach.AttachSession;
import dev.berth.exec.oci.Capabilities;
import dev.berth.exec.oci.DeviceMappings;
import dev.berth.exec.oci.InitProcess;
import dev.berth.exec.oci.OciSpecBuilder;
import dev.berth.exec.oci.SeccompProfile;
import dev.berth.exec.oci.SecurityOptions;
import dev.berth.exec.oci.ProcessUser;
import dev.berth.exec.oci.ResourceLimits;
import dev.berth.exec.oci.RootfsPaths;
import dev.berth.exec.oci.RuntimeSpec;
import dev.berth.exec.oci.UserResolver;
import dev.berth.exec.runtime.Conmon;
import dev.berth.exec.runtime.ConmonLaunch;
import dev.berth.exec.volume.ContainerMounts;
import dev.berth.host.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a container as a {@link StartPlan}: its network sandbox, its root file system, its
 * bundle (host files and OCI spec), then conmon and the runtime. A failed start undoes what was
 * done and records the failure as Docker does (exit code 126, 127 or 128, status unchanged).
 */
final class ContainerStarter {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerStarter.class);

    private final LifecycleContext context;
    private final ContainerRemover remover;

    ContainerStarter(LifecycleContext context, ContainerRemover remover) {
        this.context = context;
        this.remover = remover;
    }

    /** What a start has made so far, for its later steps and for undoing them. */
    private static final class Started {
        volatile String netns;
        volatile boolean ownsSandbox;
        volatile List<Endpoint> endpoints = List.of();
        volatile String rootfs;
        volatile int pid;
        volatile List<RuntimeSpec.Mount> mounts = List.of();
        /** The container whose namespace this one joined (container:<id>), whose host files it shares. */
        volatile Container networkOwner;
        /** Whether runc loads the seccomp filters before the start (the profile without no-new-privileges). */
        volatile boolean seccompBeforeStart;
    }

    /** A user's start: the restart policy's count and back-off begin again. */
    CompletableFuture<Void> start(Container c) {
        return start(c, false);
    }

    /** The restart policy's start of a container waiting in "restarting". */
    CompletableFuture<Void> startForPolicy(Container c) {
        return start(c, true);
    }

    private CompletableFuture<Void> start(Container c, boolean policy) {
        return c.serially(context.blocking, () -> {
            if (c.status() == Status.REMOVING) {
                throw EngineException.conflict("container " + c.id() + " is marked for removal and cannot be started");
            }
            // A user's stop, kill or forced removal since the restart was planned calls it off.
            if (policy && (c.status() != Status.RESTARTING || c.manuallyStopped())) {
                return CompletableFuture.completedFuture(null);
            }
            if (!policy && c.isRunning()) {
                throw EngineException.notModified("container already started");
            }
            if (!policy) {
                c.resetRestarts();
            }
            Started started = new Started();
            StartPlan plan = plan(c, started);
            return plan.run()
                    .thenRunAsync(() -> {
                        c.markRunning(started.pid, Conmon.conmonPid(context.bundle(c)), started.netns, started.ownsSandbox,
                                started.rootfs);
                        c.attachedTo(started.endpoints);
                        context.persist(c);
                        LOG.debug("started {}: {}", c.id(), plan.timings());
                        context.publish(c, "start", Map.of());
                    }, context.blocking)
                    .exceptionallyCompose(failure -> recordFailure(c, failure));
        });
    }

    private StartPlan plan(Container c, Started started) {
        String networkMode = c.hostConfig().effectiveNetworkMode();
        Path bundle = context.bundle(c);
        return new StartPlan(c.id())
                .then("sandbox", () -> joinNetwork(c, networkMode, started), () -> started.ownsSandbox
                        ? context.peers.removeSandbox(c.id()) : CompletableFuture.completedFuture(null))
                .then("rootfs", () -> context.peers.mountSnapshot(c.id()).thenAccept(rootfs -> started.rootfs = rootfs),
                        () -> context.peers.unmountSnapshot(c.id()))
                .then("mounts", () -> context.blocking(() -> {
                    started.mounts = ContainerMounts.prepare(c.mounts(), Path.of(started.rootfs), context.volumes);
                    context.volumes.mountedBy(c.id(), c.mounts());
                    return null;
                }), () -> context.blocking(() -> {
                    context.volumes.unmountedBy(c.id(), c.mounts());
                    return null;
                }))
                .then("bundle", () -> context.blocking(() -> {
                    writeBundle(c, bundle, networkMode, started);
                    return null;
                }), () -> CompletableFuture.completedFuture(null))
                .then("create", () -> context.blocking(() -> {
                    started.pid = createWithConmon(c, bundle);
                    return null;
                }), () -> context.blocking(() -> {
                    discardRuntime(c, bundle);
                    return null;
                }))
                .then("start", () -> context.blocking(() -> {
                    connectPendingAttaches(c, bundle);
                    try {
                        copySeccompFilters(c, started);
                        context.runtime.start(c.id(), started.pid);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return null;
                }), () -> CompletableFuture.completedFuture(null));
    }

    /**
     * Copies the seccomp filters runc loaded into the created container's init process, for the
     * exec helper (design.md, "exec without runc"). runc loads them before it waits for the start
     * unless the process has no-new-privileges, which loads them just before the container's
     * command: such a container, or one whose copy failed, execs through the runtime.
     */
    private void copySeccompFilters(Container c, Started started) throws IOException {
        Path filters = context.seccompFilters(c);
        Files.deleteIfExists(filters);
        if (!started.seccompBeforeStart) {
            return;
        }
        try {
            context.execHelper.captureSeccomp(started.pid, Processes.linux().startTicks(started.pid), filters);
        } catch (IOException | RuntimeException e) {
            LOG.warn("container {}: its seccomp filters were not copied, its execs go through the runtime: {}", c.id(), e.toString());
        }
    }

    private CompletableFuture<Void> joinNetwork(Container c, String networkMode, Started started) {
        if (networkMode.startsWith("container:")) {
            Container other = context.registry.resolve(networkMode.substring("container:".length()));
            if (!other.isRunning()) {
                throw EngineException.conflict("cannot join network of a non running container: " + other.id());
            }
            started.netns = other.netnsPath();
            started.networkOwner = other;
            return CompletableFuture.completedFuture(null);
        }
        Map<String, ?> exposed = c.config().exposedPorts();
        // The sandbox comes with the first network it joins (with the published ports), then the
        // others are connected one by one, as docker network connect left them on record.
        List<Map.Entry<String, NetworkingConfig.EndpointSettings>> joined = new ArrayList<>(ContainerNetworks.joined(c).entrySet());
        String primary = ContainerNetworks.nameOfMode(networkMode);
        joined.sort((a, b) -> Boolean.compare(!a.getKey().equals(primary), !b.getKey().equals(primary)));
        boolean ownMode = ContainerNetworks.isPseudoNetwork(networkMode);
        String sandboxMode = ownMode ? networkMode : joined.isEmpty() ? "none" : joined.get(0).getKey();
        NetworkingConfig.EndpointSettings endpoint = ownMode || joined.isEmpty() ? null : joined.get(0).getValue();
        SandboxRequest request = new SandboxRequest(c.id(), c.name(), sandboxMode, c.hostConfig().portBindings(),
                Boolean.TRUE.equals(c.hostConfig().publishAllPorts()), exposed == null ? List.of() : List.copyOf(exposed.keySet()),
                endpoint == null ? List.of() : endpoint.aliases(),
                endpoint == null || endpoint.ipamConfig() == null ? null : endpoint.ipamConfig().ipv4Address(),
                endpoint == null ? null : endpoint.macAddress());
        List<Map.Entry<String, NetworkingConfig.EndpointSettings>> others = ownMode || joined.isEmpty() ? List.of()
                : joined.subList(1, joined.size());
        return context.peers.createSandbox(request).thenCompose(sandbox -> {
            started.netns = sandbox.netnsPath();
            started.endpoints = sandbox.endpoints();
            started.ownsSandbox = true;
            CompletableFuture<Void> connected = CompletableFuture.completedFuture(null);
            for (Map.Entry<String, NetworkingConfig.EndpointSettings> other : others) {
                NetworkingConfig.EndpointSettings settings = other.getValue();
                ConnectEndpoint connect = new ConnectEndpoint(c.id(), c.name(), sandbox.netnsPath(), other.getKey(),
                        settings == null ? List.of() : settings.aliases(),
                        settings == null || settings.ipamConfig() == null ? null : settings.ipamConfig().ipv4Address());
                connected = connected.thenCompose(v -> context.peers.connectEndpoint(connect)).thenAccept(made -> {
                    List<Endpoint> all = new ArrayList<>(started.endpoints);
                    all.add(made);
                    started.endpoints = List.copyOf(all);
                });
            }
            return connected;
        });
    }

    private static List<String> withLinkEnv(List<String> linkEnv, List<String> env) {
        List<String> all = new ArrayList<>(linkEnv);
        all.addAll(orEmpty(env));
        return all;
    }

    private void writeBundle(Container c, Path bundle, String networkMode, Started started) {
        try {
            boolean hostNetwork = "host".equals(networkMode);
            List<String> dns = ContainerNetworks.nameServers(c, started.endpoints, context.settings.defaultDns());
            LegacyLinks.Resolved links = LegacyLinks.resolve(c, context.registry::resolve);
            List<String> extraHosts = new ArrayList<>(links.hostsEntries());
            extraHosts.addAll(ExtraHosts.resolve(orEmpty(c.hostConfig().extraHosts()), hostNetwork, started.endpoints));
            // container:<id> uses the other's hostname and files, as dockerd does.
            Container owner = started.networkOwner;
            Path hostFiles = owner == null ? c.stateDir() : owner.stateDir();
            String hostname = owner == null ? c.hostname() : owner.hostname();
            if (owner == null) {
                HostFiles.write(c.stateDir(), new HostFiles.Content(c.hostname(), hostNetwork, dns, orEmpty(c.hostConfig().dnsSearch()),
                        orEmpty(c.hostConfig().dnsOptions()), started.endpoints.stream().map(Endpoint::ipAddress).toList(),
                        extraHosts));
            }

            Path rootfsPath = Path.of(started.rootfs);
            ProcessUser user = withGroups(UserResolver.resolve(rootfsPath, Objects.requireNonNullElse(c.config().user(), "")),
                    rootfsPath, c.hostConfig().groupAdd());
            boolean init = Boolean.TRUE.equals(c.hostConfig().init());
            List<RuntimeSpec.Mount> mounts = new ArrayList<>(started.mounts);
            if (init) {
                mounts.add(InitProcess.mount());
            }
            String cwd = Objects.requireNonNullElse(c.config().workingDir(), "");
            if (cwd.isEmpty()) {
                cwd = "/";
            } else {
                RootfsPaths.mkdirs(rootfsPath, cwd);
            }
            RuntimeSpec spec = new RuntimeSpec(
                    init ? InitProcess.wrap(command(c)) : command(c),
                    // A link's variables come first, so the container's own -e wins, as in dockerd.
                    ImageDefaults.processEnv(withLinkEnv(links.env(), c.config().env()), hostname, c.tty(), user.home()),
                    cwd, user, c.tty(), hostname, rootfsPath,
                    c.hostConfig().readonlyRootfsEnabled(),
                    c.hostConfig().privilegedEnabled(),
                    context.settings.cgroupParent() + "/" + c.id(),
                    started.netns == null ? null : Path.of(started.netns),
                    context.settings.cgroupNamespace(),
                    List.of(new RuntimeSpec.HostFile(hostFiles.resolve("hostname"), "/etc/hostname", false),
                            new RuntimeSpec.HostFile(hostFiles.resolve("hosts"), "/etc/hosts", false),
                            new RuntimeSpec.HostFile(hostFiles.resolve("resolv.conf"), "/etc/resolv.conf", false)),
                    context.settings.nofileLimit(),
                    mounts,
                    SecurityOptions.resolve(c.hostConfig(), Capabilities.ofThisProcess(), SeccompProfile.defaultProfile()),
                    DeviceMappings.resolve(c.hostConfig().devices()));
            prepareBundle(bundle);
            ObjectNode config = OciSpecBuilder.build(spec);
            setConsoleSize(config, c);
            ResourceLimits.apply(config, c.hostConfig());
            started.seccompBeforeStart = config.path("linux").has("seccomp") && !config.path("process").path("noNewPrivileges").asBoolean();
            Files.writeString(bundle.resolve("config.json"), config.toString(), StandardCharsets.UTF_8);
            Files.deleteIfExists(context.conmon.exitDir().resolve(c.id()));
            if (context.runtime.hasState(c.id())) {
                context.runtime.delete(c.id(), true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The terminal's size from the start, as the CLI sends it in HostConfig.ConsoleSize: a
     * program that reads it at once (a shell's first prompt, `stty size`) would otherwise see
     * 24x80 until the CLI's first resize arrives.
     */
    private static void setConsoleSize(ObjectNode config, Container c) {
        List<Integer> size = c.hostConfig().consoleSize();
        if (c.tty() && size != null && size.size() == 2 && size.get(0) > 0 && size.get(1) > 0) {
            ((ObjectNode) config.get("process")).set("consoleSize", config.objectNode()
                    .put("height", size.get(0)).put("width", size.get(1)));
        }
    }

    /** --group-add: more groups for the process, by number or by name in the container's /etc/group. */
    private static ProcessUser withGroups(ProcessUser user, Path rootfs, List<String> groups) throws IOException {
        if (groups == null || groups.isEmpty()) {
            return user;
        }
        List<Integer> additional = new ArrayList<>(user.additionalGids());
        for (int gid : UserResolver.groupIds(rootfs, groups)) {
            if (!additional.contains(gid)) {
                additional.add(gid);
            }
        }
        return new ProcessUser(user.uid(), user.gid(), additional, user.home());
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : values;
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
            FileTrees.deleteTree(bundle);
        }
        Files.createDirectories(bundle.resolve("persist"));
    }

    /** conmon runs `runtime create`; a failure leaves no conmon and no runtime state behind. */
    private int createWithConmon(Container c, Path bundle) {
        try {
            Path logPath = HostConfig.LogConfig.writesNoLog(c.hostConfig().logConfig()) ? null : c.logPath();
            return context.conmon.launch(new ConmonLaunch(c.id(), c.name(), bundle, logPath, c.openStdin(),
                    !c.stdinOnce(), c.tty()));
        } catch (IOException | RuntimeException e) {
            discardRuntime(c, bundle);
            throw e instanceof IOException ? new UncheckedIOException((IOException) e) : (RuntimeException) e;
        }
    }

    /** Ends conmon if it still runs and deletes the runtime's state of a start that is undone. */
    void discardRuntime(Container c, Path bundle) {
        int conmonPid = Conmon.conmonPid(bundle);
        if (conmonPid > 0 && Conmon.isAlive(conmonPid, c.id())) {
            ProcessHandle.of(conmonPid).ifPresent(ProcessHandle::destroyForcibly);
        }
        try {
            context.runtime.delete(c.id(), true);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cleanup of {} after a failed start: {}", c.id(), e.toString());
        }
    }

    private static void connectPendingAttaches(Container c, Path bundle) {
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

    static void finishPendingAttaches(Container c) {
        for (Object item : c.pendingAttaches()) {
            ((AttachSession) item).finish();
        }
        c.pendingAttaches().clear();
    }

    private CompletableFuture<Void> recordFailure(Container c, Throwable failure) {
        EngineException error = EngineException.from(failure);
        return context.blocking(() -> {
            LOG.info("container {} failed to start: {}", c.id(), error.getMessage());
            String message = error.getMessage();
            int code = message.contains("permission denied") ? 126
                    : message.contains("executable file not found") || message.contains("no such file or directory") ? 127 : 128;
            c.markStartFailed(code, message);
            context.persist(c);
            finishPendingAttaches(c);
            if (c.autoRemove()) {
                remover.removeLater(c);
            }
            throw error;
        });
    }
}
