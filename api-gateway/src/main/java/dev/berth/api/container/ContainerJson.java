package dev.berth.api.container;

import dev.berth.bus.JsonFields;
import dev.berth.api.router.ApiVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/** Docker's JSON for containers, rendered from the exec worker's container view. */
public final class ContainerJson {
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private ContainerJson() {
    }

    /** GET /containers/{id}/json. */
    public static JsonObject inspect(JsonObject view, ApiVersion version) {
        JsonObject state = JsonFields.object(view, "state");
        JsonObject config = configOf(view);
        JsonObject hostConfig = hostConfigOf(JsonFields.object(view, "hostConfig"));
        String rootfs = view.getString("rootfs");
        return new JsonObject()
                .put("Id", view.getString("id"))
                .put("Created", view.getString("created"))
                .put("Path", view.getString("path", ""))
                .put("Args", JsonFields.array(view, "args"))
                .put("State", new JsonObject()
                        .put("Status", state.getString("status"))
                        .put("Running", state.getBoolean("running", false))
                        .put("Paused", state.getBoolean("paused", false))
                        .put("Restarting", state.getBoolean("restarting", false))
                        .put("OOMKilled", state.getBoolean("oomKilled", false))
                        .put("Dead", state.getBoolean("dead", false))
                        .put("Pid", state.getInteger("pid", 0))
                        .put("ExitCode", state.getInteger("exitCode", 0))
                        .put("Error", state.getString("error", ""))
                        .put("StartedAt", state.getString("startedAt", ZERO_TIME))
                        .put("FinishedAt", state.getString("finishedAt", ZERO_TIME)))
                .put("Image", view.getString("image"))
                .put("ResolvConfPath", view.getString("resolvConfPath", ""))
                .put("HostnamePath", view.getString("hostnamePath", ""))
                .put("HostsPath", view.getString("hostsPath", ""))
                .put("LogPath", view.getString("logPath", ""))
                .put("Name", "/" + view.getString("name"))
                .put("RestartCount", view.getInteger("restartCount", 0))
                .put("Driver", view.getString("driver", "overlay2"))
                .put("Platform", "linux")
                .put("MountLabel", "")
                .put("ProcessLabel", "")
                .put("AppArmorProfile", "")
                .put("ExecIDs", (Object) null)
                .put("HostConfig", hostConfig)
                .put("GraphDriver", new JsonObject().put("Name", "overlay2")
                        .put("Data", rootfs == null ? null : new JsonObject().put("MergedDir", rootfs)))
                .put("Mounts", new JsonArray())
                .put("Config", config)
                .put("NetworkSettings", networkSettings(view, hostConfig, version));
    }

    /** One item of GET /containers/json. */
    public static JsonObject summary(JsonObject view, Instant now) {
        JsonObject state = JsonFields.object(view, "state");
        JsonObject hostConfig = JsonFields.object(view, "hostConfig");
        StringBuilder command = new StringBuilder(view.getString("path", ""));
        for (Object arg : JsonFields.array(view, "args")) {
            command.append(' ').append(arg);
        }
        return new JsonObject()
                .put("Id", view.getString("id"))
                .put("Names", new JsonArray().add("/" + view.getString("name")))
                .put("Image", view.getString("imageRef", view.getString("image")))
                .put("ImageID", view.getString("image"))
                .put("Command", command.toString())
                .put("Created", Instant.parse(view.getString("created")).getEpochSecond())
                .put("Ports", new JsonArray())
                .put("Labels", JsonFields.object(configOf(view), "Labels"))
                .put("State", state.getString("status"))
                .put("Status", statusText(state, now))
                .put("HostConfig", new JsonObject().put("NetworkMode", hostConfig.getString("NetworkMode", "default")))
                .put("NetworkSettings", new JsonObject().put("Networks", networks(hostConfig)))
                .put("Mounts", new JsonArray());
    }

    static String statusText(JsonObject state, Instant now) {
        String status = state.getString("status", "created");
        switch (status) {
            case "running":
                return "Up " + since(state.getString("startedAt"), now);
            case "paused":
                return "Up " + since(state.getString("startedAt"), now) + " (Paused)";
            case "restarting":
                return "Restarting (" + state.getInteger("exitCode", 0) + ") " + since(state.getString("finishedAt"), now) + " ago";
            case "exited":
                if (ZERO_TIME.equals(state.getString("finishedAt", ZERO_TIME))) {
                    return "Created";
                }
                return "Exited (" + state.getInteger("exitCode", 0) + ") " + since(state.getString("finishedAt"), now) + " ago";
            case "removing":
                return "Removal In Progress";
            case "dead":
                return "Dead";
            default:
                return "Created";
        }
    }

    private static String since(String time, Instant now) {
        if (time == null || time.equals(ZERO_TIME)) {
            return HumanDuration.of(Duration.ZERO);
        }
        return HumanDuration.of(Duration.between(Instant.parse(time), now));
    }

    private static JsonObject configOf(JsonObject view) {
        JsonObject stored = JsonFields.object(view, "config");
        JsonObject config = new JsonObject()
                .put("Hostname", "")
                .put("Domainname", "")
                .put("User", "")
                .put("AttachStdin", false)
                .put("AttachStdout", false)
                .put("AttachStderr", false)
                .put("Tty", false)
                .put("OpenStdin", false)
                .put("StdinOnce", false)
                .put("Env", new JsonArray())
                .put("Cmd", (Object) null)
                .put("Image", "")
                .put("Volumes", (Object) null)
                .put("WorkingDir", "")
                .put("Entrypoint", (Object) null)
                .put("OnBuild", (Object) null)
                .put("Labels", new JsonObject());
        stored.forEach(e -> config.put(e.getKey(), e.getValue()));
        return config;
    }

    private static JsonObject hostConfigOf(JsonObject stored) {
        JsonObject hostConfig = new JsonObject()
                .put("Binds", (Object) null)
                .put("ContainerIDFile", "")
                .put("LogConfig", new JsonObject().put("Type", "k8s-file").put("Config", new JsonObject()))
                .put("NetworkMode", "default")
                .put("PortBindings", new JsonObject())
                .put("RestartPolicy", new JsonObject().put("Name", "no").put("MaximumRetryCount", 0))
                .put("AutoRemove", false)
                .put("VolumeDriver", "")
                .put("VolumesFrom", (Object) null)
                .put("CapAdd", (Object) null)
                .put("CapDrop", (Object) null)
                .put("Dns", new JsonArray())
                .put("DnsOptions", new JsonArray())
                .put("DnsSearch", new JsonArray())
                .put("ExtraHosts", (Object) null)
                .put("IpcMode", "private")
                .put("Privileged", false)
                .put("PublishAllPorts", false)
                .put("ReadonlyRootfs", false)
                .put("ShmSize", 67108864)
                .put("Runtime", "runc")
                .put("Memory", 0)
                .put("NanoCpus", 0)
                .put("CpuShares", 0)
                .put("PidsLimit", (Object) null)
                .put("Init", (Object) null);
        stored.forEach(e -> {
            if (e.getValue() != null) {
                hostConfig.put(e.getKey(), e.getValue());
            }
        });
        JsonObject restart = hostConfig.getJsonObject("RestartPolicy");
        if (restart != null && restart.getString("Name", "").isEmpty()) {
            restart.put("Name", "no");
        }
        return hostConfig;
    }

    private static JsonObject networkSettings(JsonObject view, JsonObject hostConfig, ApiVersion version) {
        JsonObject settings = new JsonObject()
                .put("Bridge", "")
                .put("SandboxID", "")
                .put("SandboxKey", view.getString("netnsPath", "") == null ? "" : view.getString("netnsPath", ""))
                .put("Ports", ports(configOf(view)))
                .put("HairpinMode", false)
                .put("LinkLocalIPv6Address", "")
                .put("LinkLocalIPv6PrefixLen", 0)
                .put("SecondaryIPAddresses", (Object) null)
                .put("SecondaryIPv6Addresses", (Object) null)
                .put("EndpointID", "")
                .put("Gateway", "")
                .put("GlobalIPv6Address", "")
                .put("GlobalIPv6PrefixLen", 0)
                .put("IPAddress", "")
                .put("IPPrefixLen", 0)
                .put("IPv6Gateway", "")
                .put("MacAddress", "")
                .put("Networks", networks(hostConfig));
        return settings;
    }

    /** Exposed ports without bindings map to null, as in Docker; the map itself is always there. */
    private static JsonObject ports(JsonObject config) {
        JsonObject ports = new JsonObject();
        JsonObject exposed = config.getJsonObject("ExposedPorts");
        if (exposed != null) {
            for (String port : exposed.fieldNames()) {
                ports.put(port, (Object) null);
            }
        }
        return ports;
    }

    private static JsonObject networks(JsonObject hostConfig) {
        String mode = hostConfig.getString("NetworkMode", "default");
        if (mode.startsWith("container:")) {
            return new JsonObject();
        }
        String name = mode.equals("default") ? "bridge" : mode;
        return new JsonObject().put(name, new JsonObject()
                .put("IPAMConfig", (Object) null)
                .put("Links", (Object) null)
                .put("Aliases", (Object) null)
                .put("MacAddress", "")
                .put("DriverOpts", (Object) null)
                .put("NetworkID", "")
                .put("EndpointID", "")
                .put("Gateway", "")
                .put("IPAddress", "")
                .put("IPPrefixLen", 0)
                .put("IPv6Gateway", "")
                .put("GlobalIPv6Address", "")
                .put("GlobalIPv6PrefixLen", 0)
                .put("DNSNames", (Object) null));
    }
}
