package dev.berth.api.system;

import dev.berth.bus.JsonFields;
import dev.berth.api.EngineVersion;
import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.ApiVersion;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobRecord;
import dev.berth.bus.contract.container.ContainerJobs;
import dev.berth.bus.contract.container.ContainerSummary;
import dev.berth.bus.contract.image.ImageJobs;
import dev.berth.bus.contract.image.ImageStoreSummary;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.time.format.DateTimeFormatter;

/** /_ping, /version, /info and Berth's own /berth/jobs. */
public final class SystemRoutes implements RouteGroup {
    private final JobBus bus;
    private final JsonObject facts;
    private final java.util.function.IntSupplier eventListeners;

    /** {@code eventListeners}: how many clients follow /events now. */
    public SystemRoutes(JobBus bus, JsonObject engineFacts, java.util.function.IntSupplier eventListeners) {
        this.bus = bus;
        this.facts = engineFacts;
        this.eventListeners = eventListeners;
    }

    @Override
    public void register(ApiRouter router) {
        router.get("/_ping", this::ping);
        router.head("/_ping", this::ping);
        router.get("/version", this::version);
        router.get("/info", this::info);
        router.get("/berth/jobs", this::jobs);
    }

    private void ping(ApiRequest request) {
        request.response()
                .putHeader("Builder-Version", "1")
                .putHeader("Swarm", "inactive")
                .putHeader("Cache-Control", "no-cache, no-store, must-revalidate")
                .putHeader("Pragma", "no-cache")
                .putHeader("Content-Type", "text/plain; charset=utf-8");
        if (request.http().method() == io.vertx.core.http.HttpMethod.HEAD) {
            request.response().putHeader("Content-Length", "0").setStatusCode(200).end();
        } else {
            request.response().setStatusCode(200).end("OK");
        }
    }

    private void version(ApiRequest request) {
        String kernel = facts.getString("KernelVersion", "");
        String arch = facts.getString("GoArch", "amd64");
        String built = facts.getString("BuildTime", "");
        JsonObject details = new JsonObject()
                .put("ApiVersion", ApiVersion.MAX.toString())
                .put("Arch", arch)
                .put("BuildTime", built)
                .put("Experimental", "false")
                .put("GitCommit", facts.getString("GitCommit", "berth"))
                .put("GoVersion", "java" + Runtime.version().feature())
                .put("KernelVersion", kernel)
                .put("MinAPIVersion", ApiVersion.MIN.toString())
                .put("Os", "linux");
        JsonArray components = new JsonArray()
                .add(new JsonObject().put("Name", "Engine").put("Version", EngineVersion.DOCKER_COMPATIBLE).put("Details", details))
                .add(new JsonObject().put("Name", "Berth").put("Version", EngineVersion.BERTH)
                        .put("Details", new JsonObject().put("GitCommit", facts.getString("GitCommit", ""))));
        for (Object runtime : JsonFields.array(facts, "RuntimeComponents")) {
            components.add(runtime);
        }
        request.json(200, new JsonObject()
                .put("Platform", new JsonObject().put("Name", "Berth Engine " + EngineVersion.BERTH))
                .put("Components", components)
                .put("Version", EngineVersion.DOCKER_COMPATIBLE)
                .put("ApiVersion", ApiVersion.MAX.toString())
                .put("MinAPIVersion", ApiVersion.MIN.toString())
                .put("GitCommit", facts.getString("GitCommit", "berth"))
                .put("GoVersion", "java" + Runtime.version().feature())
                .put("Os", "linux")
                .put("Arch", arch)
                .put("KernelVersion", kernel)
                .put("BuildTime", built));
    }

    private void info(ApiRequest request) {
        Future<ContainerSummary> containers = ContainerJobs.over(bus).summary();
        Future<ImageStoreSummary> images = ImageJobs.over(bus).summary();
        Future.all(containers, images).onComplete(ar -> {
            if (ar.failed()) {
                request.fail(ar.cause());
                return;
            }
            ContainerSummary c = containers.result();
            ImageStoreSummary i = images.result();
            int running = c.running();
            int paused = c.paused();
            int stopped = c.stopped();
            JsonObject info = facts.copy();
            info.remove("BuildTime");
            info.remove("GitCommit");
            info.remove("RuntimeComponents");
            info.remove("GoArch");
            info.put("Containers", running + paused + stopped)
                    .put("ContainersRunning", running)
                    .put("ContainersPaused", paused)
                    .put("ContainersStopped", stopped)
                    .put("Images", i.images())
                    .put("Driver", i.driver() == null ? "" : i.driver())
                    .put("DriverStatus", new JsonArray(i.driverStatus() == null ? List.of() : i.driverStatus()))
                    .put("SystemTime", OffsetDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                    .put("NGoroutines", Thread.activeCount())
                    .put("NFd", openFileDescriptors())
                    .put("ServerVersion", EngineVersion.DOCKER_COMPATIBLE)
                    .put("NEventsListener", eventListeners.getAsInt())
                    // dockerd's shape for a node in no swarm; SwarmRoutes answers the swarm calls.
                    .put("Swarm", new JsonObject().put("NodeID", "").put("NodeAddr", "")
                            .put("LocalNodeState", "inactive").put("ControlAvailable", false).put("Error", "")
                            .put("RemoteManagers", (Object) null));
            request.json(200, info);
        });
    }

    private static int openFileDescriptors() {
        String[] entries = new java.io.File("/proc/self/fd").list();
        return entries == null ? 0 : entries.length;
    }

    private void jobs(ApiRequest request) {
        JsonArray list = new JsonArray();
        for (JobRecord record : bus.recentJobs()) {
            list.add(record.toJson());
        }
        request.json(200, list);
    }
}
