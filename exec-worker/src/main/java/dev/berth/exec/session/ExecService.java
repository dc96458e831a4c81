package dev.berth.exec.session;

import dev.berth.host.FileTrees;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.container.CreateExec;
import dev.berth.bus.contract.container.ExecAccepted;
import dev.berth.bus.contract.container.ExecCreated;
import dev.berth.bus.contract.container.ExecView;
import dev.berth.bus.contract.container.StartExec;
import dev.berth.bus.stream.JobStream;
import dev.berth.exec.attach.AttachSession;
import dev.berth.exec.attach.DetachKeys;
import dev.berth.exec.container.Container;
import dev.berth.exec.container.ContainerLifecycle;
import dev.berth.exec.container.ContainerRegistry;
import dev.berth.exec.container.HealthMonitor;
import dev.berth.exec.container.ImageDefaults;
import dev.berth.exec.container.Names;
import dev.berth.exec.container.Status;
import dev.berth.exec.oci.ExecProcessSpec;
import dev.berth.exec.oci.ProcessUser;
import dev.berth.exec.oci.UserResolver;
import dev.berth.exec.runtime.Conmon;
import dev.berth.exec.runtime.ConmonExec;
import dev.berth.exec.runtime.ExecTarget;
import dev.berth.exec.runtime.ForegroundExec;
import dev.berth.exec.runtime.NativeExecHelper;
import dev.berth.exec.runtime.NativeExecLaunch;
import dev.berth.host.FifoWriter;
import dev.berth.host.Processes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `docker exec`: exec instances are made by exec.create, run once by exec.start (attached
 * without a TTY in the foreground by Berth's exec helper, or by the runtime where the helper
 * cannot serve the container, {@link ForegroundExec}; otherwise under a conmon of their own,
 * {@link ConmonExec}), and keep their exit code for exec.inspect. They live in
 * memory, as in dockerd; a finished one is forgotten after a while, or with its container.
 */
public final class ExecService {
    private static final Logger LOG = LoggerFactory.getLogger(ExecService.class);
    private static final long KEEP_FINISHED_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final ContainerRegistry containers;
    private final ContainerLifecycle lifecycle;
    private final Conmon conmon;
    private final Executor background;
    private final NativeExecHelper helper;
    private final Map<String, ExecInstance> instances = new ConcurrentHashMap<>();
    /** Each running container's exec target, read from the runtime's state at its first exec. */
    private final Map<String, ExecTarget> targets = new ConcurrentHashMap<>();
    /** Each container's parsed config.json (with its seccomp profile, tens of kilobytes), while the file is unchanged. */
    private final Map<String, ParsedSpec> containerSpecs = new ConcurrentHashMap<>();

    private record ParsedSpec(Path file, FileTime modified, long size, JsonNode spec) {
    }

    public ExecService(ContainerRegistry containers, ContainerLifecycle lifecycle, Conmon conmon, NativeExecHelper helper,
            Executor background) {
        this.containers = containers;
        this.lifecycle = lifecycle;
        this.conmon = conmon;
        this.helper = helper;
        this.background = background;
    }

    public ExecCreated create(CreateExec args) {
        Container c = containers.resolve(args.ref());
        requireRunning(c);
        if (args.cmd() == null || args.cmd().isEmpty()) {
            throw EngineException.invalid("No exec command specified");
        }
        for (String variable : args.env() == null ? List.<String>of() : args.env()) {
            if (variable == null || variable.isEmpty() || variable.startsWith("=")) {
                throw EngineException.invalid("invalid environment variable: " + variable);
            }
        }
        validateDetachKeys(args.detachKeys());
        String workingDir = args.workingDir() == null ? "" : args.workingDir();
        if (!workingDir.isEmpty() && !workingDir.startsWith("/")) {
            throw EngineException.invalid("the working directory '" + workingDir + "' is invalid, it needs to be an absolute path");
        }
        forgetOld();
        String id = Names.newId();
        ExecInstance exec = new ExecInstance(id, c, args, lifecycle.bundle(c).resolve("exec").resolve(id));
        instances.put(id, exec);
        announce(exec, "exec_create");
        return new ExecCreated(id);
    }

    /** dockerd's words for bad keys at exec create differ from attach's. */
    private static void validateDetachKeys(String keys) {
        try {
            DetachKeys.validate(keys);
        } catch (EngineException e) {
            throw EngineException.invalid("Invalid escape keys (" + keys + ") provided");
        }
    }

    public ExecView inspect(String id) {
        return find(id).view();
    }

    /**
     * Runs the instance. The container's state is checked before the job is accepted (409 as
     * dockerd). Attached, the job is accepted at once and the process starts once the caller's
     * output is connected; detached, it is accepted once the process runs.
     */
    public CompletableFuture<ExecAccepted> start(StartExec args, JobStream stream) {
        ExecInstance exec = find(args.id());
        if (exec.exitCode() != null) {
            throw EngineException.conflict("Error: Exec command " + exec.id() + " has already run");
        }
        requireRunning(exec.container());
        if (!exec.claimStart()) {
            throw EngineException.conflict("Error: Exec command " + exec.id() + " is already running");
        }
        announce(exec, "exec_start");
        CreateExec config = exec.config();
        ExecAccepted accepted = new ExecAccepted(config.tty(), config.attachStdin());
        if (args.detach()) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    ConmonExec process = ConmonExec.launch(conmon.binary(), conmon.runtime(), launch(exec, false));
                    running(exec, process.awaitPid());
                    background.execute(() -> awaitExit(exec, process, null));
                    return accepted;
                } catch (IOException | RuntimeException e) {
                    exited(exec, startFailureCode(e));
                    cleanUp(exec);
                    throw EngineException.from(e);
                }
            }, background);
        }
        AttachSession session = new AttachSession(stream, config.attachStdin(), config.attachStdout(), config.attachStderr(),
                true, background);
        CompletableFuture<String> lastLine = new CompletableFuture<>();
        session.endAfter(lastLine);
        if (config.tty()) {
            // moby's intent (daemon/exec.go); dockerd itself never gets there, see design.md.
            session.detachOn(DetachKeys.parse(config.detachKeys()),
                    () -> lifecycle.publish(exec.container(), "exec_detach", Map.of("execID", exec.id())));
        }
        background.execute(() -> runAttached(exec, session, lastLine));
        return CompletableFuture.completedFuture(accepted);
    }

    private void runAttached(ExecInstance exec, AttachSession session, CompletableFuture<String> lastLine) {
        if (!exec.config().tty()) {
            runWithoutConmon(exec, session, lastLine);
            return;
        }
        ConmonExec process = null;
        try {
            process = ConmonExec.launch(conmon.binary(), conmon.runtime(), launch(exec, true));
            session.connect(ConmonExec.attachSocket(exec.directory()));
            process.run();
            running(exec, process.awaitPid());
        } catch (IOException | RuntimeException e) {
            EngineException error = EngineException.from(e);
            LOG.debug("exec {} in {} failed to start: {}", exec.id(), exec.container().id(), error.getMessage());
            try {
                exited(exec, startFailureCode(e));
                if (process != null) {
                    process.kill();
                    process.close();
                }
                cleanUp(exec);
            } catch (RuntimeException cleanupFailure) {
                LOG.warn("exec {}: clean-up after its failed start failed", exec.id(), cleanupFailure);
            } finally {
                // The client hears why, whatever the clean-up did.
                lastLine.complete(error.getMessage() + "\r\n");
                session.finishWith(error.getMessage() + "\r\n");
            }
            return;
        }
        awaitExit(exec, process, lastLine);
    }

    /**
     * An attached exec without a TTY: Berth's exec helper (or, where it cannot serve the
     * container, the runtime) runs in the foreground with pipes this worker holds, no conmon
     * between (design.md, "exec without conmon" and "exec without runc"). Its exit code is
     * recorded before the caller's stream ends.
     */
    private void runWithoutConmon(ExecInstance exec, AttachSession session, CompletableFuture<String> lastLine) {
        ForegroundExec process = null;
        String failure = null;
        int code = -1;
        long begun = System.nanoTime();
        try {
            Path dir = exec.directory();
            Files.createDirectories(dir);
            JsonNode containerSpec = containerSpec(exec.container());
            JsonNode processSpec = processSpec(exec.container(), exec.config(), containerSpec);
            byte[] launch = nativeLaunch(exec, containerSpec, processSpec, exec.config().attachStdin());
            long specWritten = System.nanoTime();
            if (launch != null) {
                Path launchFile = dir.resolve("launch");
                Files.write(launchFile, launch);
                process = ForegroundExec.viaHelper(helper, launchFile, dir, exec.config().attachStdin(), background);
            } else {
                Path spec = dir.resolve("process.json");
                Files.writeString(spec, processSpec.toString(), StandardCharsets.UTF_8);
                process = ForegroundExec.viaRuntime(conmon.runtime(), exec.container().id(), dir, spec,
                        exec.config().attachStdin(), background);
            }
            long launched = System.nanoTime();
            exec.markLaunched(process::pid);
            session.connect(process);
            code = process.awaitExit();
            LOG.debug("exec {}: process spec {}us, {} launched {}us, ran {}us", exec.id(), (specWritten - begun) / 1000,
                    launch != null ? "helper" : "runtime", (launched - specWritten) / 1000, (System.nanoTime() - launched) / 1000);
        } catch (IOException | RuntimeException e) {
            EngineException error = EngineException.from(e);
            LOG.debug("exec {} in {} failed to start: {}", exec.id(), exec.container().id(), error.getMessage());
            code = startFailureCode(e);
            failure = error.getMessage() + "\r\n";
        } finally {
            exited(exec, code);
            if (process == null) {
                session.finishWith(failure);
            }
            lastLine.complete(failure);
            // After the stream's end: the client waits for nothing the removal does.
            cleanUp(exec);
        }
    }

    /**
     * The helper's launch file for this exec, or null when it goes through the runtime: the
     * container's seccomp filters were not copied at its start (a container with
     * no-new-privileges loads them only after the start), or the helper cannot run the process
     * as the runtime would ({@link NativeExecLaunch}).
     */
    private byte[] nativeLaunch(ExecInstance exec, JsonNode containerSpec, JsonNode processSpec, boolean stdin) {
        Container c = exec.container();
        Path filters = null;
        if (containerSpec.path("linux").has("seccomp")) {
            filters = lifecycle.seccompFilters(c);
            if (!Files.isRegularFile(filters)) {
                return null;
            }
        }
        ExecTarget target = targets.get(c.id());
        // A new init can have the old one's pid: the start time tells them apart.
        if (target == null || target.pid() != c.pid() || target.startTicks() != startTicks(c.pid())) {
            try {
                target = ExecTarget.read(conmon.runtime().root().resolve(c.id()).resolve("state.json"));
            } catch (IOException | RuntimeException e) {
                LOG.debug("exec {}: the runtime's state of {} is unreadable, the runtime runs it: {}", exec.id(), c.id(), e.toString());
                return null;
            }
            targets.put(c.id(), target);
        }
        return NativeExecLaunch.encode(c.id(), target, processSpec, filters, exec.directory(), stdin);
    }

    private static long startTicks(int pid) {
        try {
            return Processes.linux().startTicks(pid);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private void running(ExecInstance exec, int pid) {
        exec.markRunning(pid);
        int[] size = exec.takePendingSize();
        if (size != null) {
            try {
                resizeTerminal(exec, size[0], size[1]);
            } catch (IOException | RuntimeException e) {
                LOG.debug("resize of exec {}: {}", exec.id(), e.toString());
            }
        }
    }

    /** Records the exit code before the caller's stream ends: clients inspect the exec right after. */
    private void awaitExit(ExecInstance exec, ConmonExec process, CompletableFuture<String> lastLine) {
        int code = -1;
        try {
            code = process.awaitExit();
        } catch (IOException | RuntimeException e) {
            LOG.warn("exec {} in {}: its exit code is lost: {}", exec.id(), exec.container().id(), e.toString());
        } finally {
            try {
                process.close();
                exited(exec, code);
                cleanUp(exec);
            } finally {
                if (lastLine != null) {
                    lastLine.complete(null);
                }
            }
        }
    }

    /** Records the exit code and announces it as dockerd does (exec_die with execID and exitCode). */
    private void exited(ExecInstance exec, int code) {
        exec.markExited(code);
        try {
            lifecycle.publish(exec.container(), "exec_die", Map.of("execID", exec.id(), "exitCode", Integer.toString(code)));
        } catch (RuntimeException e) {
            // the exit is recorded; a lost event must not keep the client's stream open
            LOG.warn("exec {}: its exec_die event was not published", exec.id(), e);
        }
    }

    /**
     * exec_create and exec_start as dockerd names them: the action carries the command line,
     * "exec_start: sh -c date" (and "exec_start: ls " for a command without arguments).
     */
    private void announce(ExecInstance exec, String action) {
        List<String> cmd = exec.config().cmd();
        String line = cmd == null || cmd.isEmpty() ? " " : cmd.get(0) + " " + String.join(" ", cmd.subList(1, cmd.size()));
        lifecycle.publish(exec.container(), action + ": " + line, Map.of("execID", exec.id()));
    }

    /** dockerd's codes for a process that could not run: 127 not found, 126 not executable. */
    private static int startFailureCode(Throwable failure) {
        String message = EngineException.from(failure).getMessage();
        if (message.contains("executable file not found") || message.contains("no such file or directory")) {
            return 127;
        }
        return 126;
    }

    /**
     * A health probe: the command runs as the container's user in its directory, by the exec
     * helper with its output read from FIFOs (or, where the helper cannot serve the container,
     * detached under conmon, which writes the output to a file in the exec's directory); past the
     * timeout the process is killed. Probes are not exec instances a client can see.
     */
    public CompletableFuture<HealthMonitor.ProbeOutcome> probe(Container c, List<String> cmd, long timeoutNanos) {
        requireRunning(c);
        CreateExec config = new CreateExec(c.id(), "", false, false, false, true, true, null, List.of(), "", cmd, null);
        String id = Names.newId();
        ExecInstance exec = new ExecInstance(id, c, config, lifecycle.bundle(c).resolve("exec").resolve(id));
        // dockerd runs probes as execs and announces them like any other.
        announce(exec, "exec_create");
        return CompletableFuture.supplyAsync(() -> {
            announce(exec, "exec_start");
            int exitCode = -1;
            ConmonExec process = null;
            try {
                Path dir = exec.directory();
                Files.createDirectories(dir);
                JsonNode containerSpec = containerSpec(c);
                JsonNode processSpec = processSpec(c, config, containerSpec);
                byte[] launch = nativeLaunch(exec, containerSpec, processSpec, false);
                if (launch != null) {
                    HealthMonitor.ProbeOutcome outcome = probeWithHelper(exec, launch, timeoutNanos);
                    exitCode = outcome.exitCode();
                    return outcome;
                }
                Path spec = dir.resolve("process.json");
                Files.writeString(spec, processSpec.toString(), StandardCharsets.UTF_8);
                Path output = dir.resolve("output.log");
                process = ConmonExec.launch(conmon.binary(), conmon.runtime(),
                        new ConmonExec.Launch(c.id(), id, dir, spec, false, false, false, output));
                int pid;
                try {
                    pid = process.awaitPid();
                } catch (EngineException e) {
                    exitCode = startFailureCode(e);
                    return new HealthMonitor.ProbeOutcome(exitCode, e.getMessage(), false);
                }
                AtomicBoolean timedOut = new AtomicBoolean();
                CompletableFuture<Void> deadline = CompletableFuture.runAsync(() -> {
                    timedOut.set(true);
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }, CompletableFuture.delayedExecutor(timeoutNanos, TimeUnit.NANOSECONDS, background));
                int code = process.awaitExit();
                exitCode = code;
                deadline.cancel(false);
                return new HealthMonitor.ProbeOutcome(code, ProbeOutput.read(output), timedOut.get());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                if (process != null) {
                    process.kill();
                    process.close();
                }
                cleanUp(exec);
                lifecycle.publish(c, "exec_die", Map.of("execID", id, "exitCode", Integer.toString(exitCode)));
            }
        }, background);
    }

    /**
     * A probe through the exec helper: its output, stdout and stderr in the order they came, is
     * kept up to dockerd's 4096 bytes and the rest read and dropped, so that a chatty probe never
     * blocks on a full pipe.
     */
    private HealthMonitor.ProbeOutcome probeWithHelper(ExecInstance exec, byte[] launch, long timeoutNanos) throws IOException {
        Path launchFile = exec.directory().resolve("launch");
        Files.write(launchFile, launch);
        ForegroundExec process = ForegroundExec.viaHelper(helper, launchFile, exec.directory(), false, background);
        AtomicBoolean timedOut = new AtomicBoolean();
        CompletableFuture<Void> deadline = CompletableFuture.runAsync(() -> {
            timedOut.set(true);
            int pid = process.pid();
            if (pid > 0) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }, CompletableFuture.delayedExecutor(timeoutNanos, TimeUnit.NANOSECONDS, background));
        try {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            byte[] packet = new byte[64 * 1024];
            int n;
            while ((n = process.receive(packet)) >= 0) {
                output.write(packet, 1, Math.min(n - 1, Math.max(0, ProbeOutput.MAX_BYTES - output.size())));
            }
            int code;
            try {
                code = process.awaitExit();
            } catch (EngineException e) {
                return new HealthMonitor.ProbeOutcome(startFailureCode(e), e.getMessage(), false);
            }
            return new HealthMonitor.ProbeOutcome(code, ProbeOutput.cut(output.toByteArray()), timedOut.get());
        } finally {
            deadline.cancel(false);
            process.close();
        }
    }

    private ConmonExec.Launch launch(ExecInstance exec, boolean attach) throws IOException {
        CreateExec config = exec.config();
        return new ConmonExec.Launch(exec.container().id(), exec.id(), exec.directory(), writeProcessSpec(exec), attach,
                attach && config.attachStdin(), config.tty(), null);
    }

    private Path writeProcessSpec(ExecInstance exec) throws IOException {
        Path dir = exec.directory();
        Files.createDirectories(dir);
        Path spec = dir.resolve("process.json");
        Files.writeString(spec, processSpec(exec.container(), exec.config()).toString(), StandardCharsets.UTF_8);
        return spec;
    }

    /** The container's config.json; read again whenever the file has changed (a new start writes it). */
    private JsonNode containerSpec(Container c) throws IOException {
        if (c.rootfs() == null) {
            throw EngineException.conflict("container " + c.id() + " is not running");
        }
        Path file = lifecycle.bundle(c).resolve("config.json");
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        ParsedSpec cached = containerSpecs.get(c.id());
        if (cached != null && cached.file().equals(file) && cached.modified().equals(attributes.lastModifiedTime())
                && cached.size() == attributes.size()) {
            return cached.spec();
        }
        JsonNode spec = JobCodec.mapper().readTree(file.toFile());
        containerSpecs.put(c.id(), new ParsedSpec(file, attributes.lastModifiedTime(), attributes.size(), spec));
        return spec;
    }

    private JsonNode processSpec(Container c, CreateExec config) throws IOException {
        return processSpec(c, config, containerSpec(c));
    }

    private JsonNode processSpec(Container c, CreateExec config, JsonNode containerSpec) throws IOException {
        String rootfs = c.rootfs();
        if (rootfs == null) {
            throw EngineException.conflict("container " + c.id() + " is not running");
        }
        String user = config.user() == null || config.user().isEmpty() ? c.config().user() : config.user();
        ProcessUser processUser = UserResolver.resolve(Path.of(rootfs), user == null ? "" : user);
        String cwd = config.workingDir() == null || config.workingDir().isEmpty() ? c.config().workingDir() : config.workingDir();
        List<String> env = ImageDefaults.processEnv(withOverrides(c.config().env(), config.env()), c.hostname(), config.tty(),
                processUser.home());
        return ExecProcessSpec.build(containerSpec.get("process"), config.cmd(), env, cwd == null || cwd.isEmpty() ? "/" : cwd,
                processUser, config.tty(), config.privileged(), config.consoleSize());
    }

    /** The container's variables with the exec's replacing those of the same name, as dockerd merges them. */
    private static List<String> withOverrides(List<String> base, List<String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (List<String> list : List.of(base == null ? List.<String>of() : base, overrides == null ? List.<String>of() : overrides)) {
            for (String variable : list) {
                int eq = variable.indexOf('=');
                merged.put(eq < 0 ? variable : variable.substring(0, eq), variable);
            }
        }
        return new ArrayList<>(merged.values());
    }

    /**
     * Sets the terminal size of a running exec. Between its start and its process running, the
     * size is kept and applied once it runs (the CLI resizes right after it starts the exec).
     */
    public void resize(String id, int height, int width) throws IOException {
        ExecInstance exec = find(id);
        if (!exec.running()) {
            if (exec.started() && exec.exitCode() == null) {
                exec.pendingSize(height, width);
                if (exec.running() && exec.takePendingSize() != null) {
                    resizeTerminal(exec, height, width);
                }
                return;
            }
            throw EngineException.conflict("container " + exec.container().id() + " is not running");
        }
        if (!exec.config().tty()) {
            return;
        }
        resizeTerminal(exec, height, width);
    }

    private static void resizeTerminal(ExecInstance exec, int height, int width) throws IOException {
        Path fifo = ConmonExec.controlFifo(exec.directory());
        if (!exec.config().tty() || !Files.exists(fifo)) {
            return;
        }
        FifoWriter.writeIfRead(fifo, ("1 " + height + " " + width + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private ExecInstance find(String id) {
        ExecInstance exec = id == null ? null : instances.get(id);
        if (exec == null) {
            throw EngineException.notFound("No such exec instance: " + id);
        }
        return exec;
    }

    /** dockerd's refusals for an exec into a container that does not run. */
    private static void requireRunning(Container c) {
        if (c.status() == Status.PAUSED) {
            throw EngineException.conflict("Container " + c.id() + " is paused, unpause the container before exec");
        }
        if (c.status() == Status.RESTARTING) {
            throw EngineException.conflict("Container " + c.id() + " is restarting, wait until the container is running");
        }
        if (c.status() != Status.RUNNING) {
            throw EngineException.conflict("container " + c.id() + " is not running");
        }
    }

    /** Removes the exec's directory; a failure leaves files behind but never the caller's stream open. */
    private void cleanUp(ExecInstance exec) {
        try {
            FileTrees.deleteTree(exec.directory());
        } catch (IOException | RuntimeException e) {
            LOG.warn("exec {}: its directory {} is left behind: {}", exec.id(), exec.directory(), e.toString());
        }
    }

    /** Forgets finished instances after a while, and those of removed containers. */
    private void forgetOld() {
        long now = System.nanoTime();
        instances.values().removeIf(exec -> exec.exitCode() != null
                && (now - exec.finishedNanos() > KEEP_FINISHED_NANOS || containers.find(exec.container().id()) == null));
        targets.keySet().removeIf(id -> containers.find(id) == null);
        containerSpecs.keySet().removeIf(id -> containers.find(id) == null);
    }

}
