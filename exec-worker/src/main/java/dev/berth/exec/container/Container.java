package dev.berth.exec.container;

import dev.berth.bus.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One container: what it was created with, and its state. Operations that change it run one
 * after another through {@link #serially}, which queues them without holding a thread or a lock
 * while one of them waits for another worker or for the runtime; readers take a {@link #view()}
 * snapshot at any time. Status changes follow {@link Status#canMoveTo}. The record part is
 * persisted as JSON; the futures are how waiters learn of the next exit and of removal.
 */
public final class Container {
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private CompletableFuture<?> lastOperation = CompletableFuture.completedFuture(null);
    private final String id;
    private final String name;
    private final Instant created;
    private final String imageId;
    private final JsonObject config;
    private final JsonObject hostConfig;
    private final JsonObject networkingConfig;
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
    private volatile String finishedAt = ZERO_TIME;
    private volatile int restartCount;
    private volatile String netnsPath;
    private volatile boolean ownsSandbox;
    private volatile String rootfs;
    /** Written when the container exits with its exit code and error; replaced at each exit. */
    private volatile CompletableFuture<ExitReport> nextExit = new CompletableFuture<>();
    private final CompletableFuture<ExitReport> removed = new CompletableFuture<>();
    private final List<Object> pendingAttaches = new ArrayList<>();

    /** How a run ended: the code and, when the start itself failed, why. */
    public record ExitReport(int exitCode, String error) {
    }

    public Container(String id, String name, Instant created, String imageId, JsonObject config, JsonObject hostConfig,
            JsonObject networkingConfig, String hostname, Path stateDir, Path logPath) {
        this.id = id;
        this.name = name;
        this.created = created;
        this.imageId = imageId;
        this.config = config;
        this.hostConfig = hostConfig;
        this.networkingConfig = networkingConfig;
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

    /** The create-time Config merged with the image's defaults; treat as read-only. */
    public JsonObject config() {
        return config;
    }

    public JsonObject hostConfig() {
        return hostConfig;
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

    public String netnsPath() {
        return netnsPath;
    }

    public boolean ownsSandbox() {
        return ownsSandbox;
    }

    public boolean tty() {
        return config.getBoolean("Tty", false);
    }

    public boolean openStdin() {
        return config.getBoolean("OpenStdin", false);
    }

    public boolean stdinOnce() {
        return config.getBoolean("StdinOnce", false);
    }

    public boolean autoRemove() {
        return hostConfig.getBoolean("AutoRemove", false);
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
        finished.complete(report);
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
    }

    public void markRemoving() {
        moveTo(Status.REMOVING);
    }

    public void markRemoved() {
        removed.complete(new ExitReport(exitCode, null));
    }

    // ---- persistence ----------------------------------------------------------------------

    public JsonObject toRecord() {
        return new JsonObject()
                .put("id", id)
                .put("name", name)
                .put("created", created.toString())
                .put("imageId", imageId)
                .put("config", config)
                .put("hostConfig", hostConfig)
                .put("networkingConfig", networkingConfig)
                .put("hostname", hostname)
                .put("stateDir", stateDir.toString())
                .put("logPath", logPath.toString())
                .put("state", new JsonObject()
                        .put("status", status.dockerName())
                        .put("pid", pid)
                        .put("conmonPid", conmonPid)
                        .put("exitCode", exitCode)
                        .put("error", error)
                        .put("oomKilled", oomKilled)
                        .put("startedAt", startedAt)
                        .put("finishedAt", finishedAt)
                        .put("restartCount", restartCount)
                        .put("netnsPath", netnsPath)
                        .put("ownsSandbox", ownsSandbox)
                        .put("rootfs", rootfs));
    }

    public static Container fromRecord(JsonObject record) {
        Container c = new Container(record.getString("id"), record.getString("name"), Instant.parse(record.getString("created")),
                record.getString("imageId"), JsonFields.object(record, "config"),
                JsonFields.object(record, "hostConfig"), JsonFields.object(record, "networkingConfig"),
                record.getString("hostname"), Path.of(record.getString("stateDir")), Path.of(record.getString("logPath")));
        JsonObject state = JsonFields.object(record, "state");
        c.status = Status.of(JsonFields.string(state, "status", "created"));
        c.pid = state.getInteger("pid", 0);
        c.conmonPid = state.getInteger("conmonPid", 0);
        c.exitCode = state.getInteger("exitCode", 0);
        c.error = JsonFields.string(state, "error", "");
        c.oomKilled = state.getBoolean("oomKilled", false);
        c.startedAt = state.getString("startedAt", ZERO_TIME);
        c.finishedAt = state.getString("finishedAt", ZERO_TIME);
        c.restartCount = state.getInteger("restartCount", 0);
        c.netnsPath = state.getString("netnsPath");
        c.ownsSandbox = state.getBoolean("ownsSandbox", false);
        c.rootfs = state.getString("rootfs");
        return c;
    }

    /**
     * The container as other workers and the gateway see it (job reply of container.inspect and
     * container.list): Berth's own field names; the gateway renders Docker's JSON from it.
     */
    public JsonObject view() {
        JsonArray cmd = JsonFields.array(config, "Cmd");
        JsonArray entrypoint = JsonFields.array(config, "Entrypoint");
        List<Object> command = new ArrayList<>(entrypoint.getList());
        command.addAll(cmd.getList());
        String path = command.isEmpty() ? "" : String.valueOf(command.get(0));
        JsonArray args = new JsonArray(command.size() > 1 ? command.subList(1, command.size()) : List.of());
        return new JsonObject()
                .put("id", id)
                .put("name", name)
                .put("created", created.toString())
                .put("image", imageId)
                .put("imageRef", JsonFields.string(config, "Image", ""))
                .put("path", path)
                .put("args", args)
                .put("config", config)
                .put("hostConfig", hostConfig)
                .put("networkingConfig", networkingConfig)
                .put("state", new JsonObject()
                        .put("status", status.dockerName())
                        .put("running", isRunning())
                        .put("paused", status == Status.PAUSED)
                        .put("restarting", status == Status.RESTARTING)
                        .put("oomKilled", oomKilled)
                        .put("dead", status == Status.DEAD)
                        .put("pid", pid)
                        .put("exitCode", exitCode)
                        .put("error", error)
                        .put("startedAt", startedAt)
                        .put("finishedAt", finishedAt))
                .put("restartCount", restartCount)
                .put("logPath", logPath.toString())
                .put("hostnamePath", stateDir.resolve("hostname").toString())
                .put("hostsPath", stateDir.resolve("hosts").toString())
                .put("resolvConfPath", stateDir.resolve("resolv.conf").toString())
                .put("driver", "overlay2")
                .put("rootfs", rootfs)
                .put("netnsPath", netnsPath);
    }
}
