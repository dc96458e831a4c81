package dev.berth.api.model;

import dev.berth.bus.contract.container.ContainerHealth;
import dev.berth.bus.contract.container.ContainerState;
import dev.berth.bus.contract.container.ContainerView;
import dev.berth.bus.contract.container.NetworkingConfig;
import dev.berth.bus.contract.network.Endpoint;
import dev.berth.bus.contract.network.PublishedPort;
import dev.berth.bus.contract.container.MountPoint;
import dev.berth.bus.contract.container.HostConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Docker's JSON for containers (`docker inspect`, `docker ps`), rendered from the exec worker's typed view. */
public final class ContainerJson {
    private static final String ZERO_TIME = ContainerState.ZERO_TIME;

    private ContainerJson() {
    }

    /** GET /containers/{id}/json. */
    public static JsonObject inspect(ContainerView view) {
        ContainerState state = view.state();
        String rootfs = view.rootfs();
        return new JsonObject()
                .put("Id", view.id())
                .put("Created", view.created())
                .put("Path", orEmpty(view.path()))
                .put("Args", new JsonArray(view.args() == null ? List.of() : view.args()))
                .put("State", withHealth(new JsonObject()
                        .put("Status", state.status())
                        .put("Running", state.running())
                        .put("Paused", state.paused())
                        .put("Restarting", state.restarting())
                        .put("OOMKilled", state.oomKilled())
                        .put("Dead", state.dead())
                        .put("Pid", state.pid())
                        .put("ExitCode", state.exitCode())
                        .put("Error", orEmpty(state.error()))
                        .put("StartedAt", orZeroTime(state.startedAt()))
                        .put("FinishedAt", orZeroTime(state.finishedAt())), state.health()))
                .put("Image", view.image())
                .put("ResolvConfPath", orEmpty(view.resolvConfPath()))
                .put("HostnamePath", orEmpty(view.hostnamePath()))
                .put("HostsPath", orEmpty(view.hostsPath()))
                .put("LogPath", orEmpty(view.logPath()))
                .put("Name", "/" + view.name())
                .put("RestartCount", view.restartCount())
                .put("Driver", view.driver() == null ? "overlay2" : view.driver())
                .put("Platform", "linux")
                .put("MountLabel", "")
                .put("ProcessLabel", "")
                .put("AppArmorProfile", "")
                .put("ExecIDs", (Object) null)
                .put("HostConfig", DockerDefaults.hostConfig(view.hostConfig()))
                .put("GraphDriver", graphDriver(view.driver(), rootfs))
                .put("Mounts", mounts(view))
                .put("Config", DockerDefaults.config(view.config()))
                .put("NetworkSettings", networkSettings(view));
    }

    /** overlay2 names its merged directory; dockerd's vfs shows no data. */
    private static JsonObject graphDriver(String driver, String rootfs) {
        String name = driver == null ? "overlay2" : driver;
        return new JsonObject().put("Name", name)
                .put("Data", rootfs == null || !name.equals("overlay2") ? null : new JsonObject().put("MergedDir", rootfs));
    }

    /** One item of GET /containers/json. */
    public static JsonObject summary(ContainerView view, Instant now) {
        StringBuilder command = new StringBuilder(orEmpty(view.path()));
        for (String arg : view.args() == null ? List.<String>of() : view.args()) {
            command.append(' ').append(arg);
        }
        Map<String, String> labels = view.config().labels();
        return new JsonObject()
                .put("Id", view.id())
                .put("Names", new JsonArray().add("/" + view.name()))
                .put("Image", view.imageRef() == null || view.imageRef().isEmpty() ? view.image() : view.imageRef())
                .put("ImageID", view.image())
                .put("Command", command.toString())
                .put("Created", Instant.parse(view.created()).getEpochSecond())
                .put("Ports", summaryPorts(view))
                .put("Labels", new JsonObject(labels == null ? Map.of() : Map.copyOf(labels)))
                .put("State", view.state().status())
                .put("Status", statusText(view.state(), now))
                .put("HostConfig", new JsonObject().put("NetworkMode", view.hostConfig().effectiveNetworkMode()))
                .put("NetworkSettings", new JsonObject().put("Networks", networks(view)))
                .put("Mounts", mounts(view));
    }

    /** Mounts as dockerd shows them: Name and Driver only for volumes. */
    static JsonArray mounts(ContainerView view) {
        JsonArray mounts = new JsonArray();
        for (MountPoint mount : view.mounts() == null ? List.<MountPoint>of() : view.mounts()) {
            JsonObject json = new JsonObject().put("Type", mount.type());
            if ("volume".equals(mount.type())) {
                json.put("Name", mount.name());
            }
            json.put("Source", mount.source()).put("Destination", mount.destination());
            if ("volume".equals(mount.type())) {
                json.put("Driver", mount.driver());
            }
            json.put("Mode", mount.mode()).put("RW", mount.rw()).put("Propagation", mount.propagation());
            mounts.add(json);
        }
        return mounts;
    }

    /** State.Health, present once the container ran with a health check, as dockerd shows it. */
    private static JsonObject withHealth(JsonObject state, ContainerHealth health) {
        if (health == null) {
            return state;
        }
        JsonArray log = new JsonArray();
        for (ContainerHealth.Probe probe : health.log()) {
            log.add(new JsonObject().put("Start", probe.start()).put("End", probe.end()).put("ExitCode", probe.exitCode())
                    .put("Output", orEmpty(probe.output())));
        }
        return state.put("Health", new JsonObject().put("Status", health.status()).put("FailingStreak", health.failingStreak())
                .put("Log", log));
    }

    /** ps shows a running container's health after its uptime: "(healthy)", "(health: starting)". */
    private static String healthSuffix(ContainerState state) {
        ContainerHealth health = state.health();
        if (health == null) {
            return "";
        }
        return ContainerHealth.STARTING.equals(health.status()) ? " (health: starting)" : " (" + health.status() + ")";
    }

    /** The STATUS column of `docker ps`. */
    public static String statusText(ContainerState state, Instant now) {
        String status = state.status() == null ? "created" : state.status();
        switch (status) {
            case "running":
                return "Up " + since(state.startedAt(), now) + healthSuffix(state);
            case "paused":
                return "Up " + since(state.startedAt(), now) + " (Paused)";
            case "restarting":
                return "Restarting (" + state.exitCode() + ") " + since(state.finishedAt(), now) + " ago";
            case "exited":
                if (ZERO_TIME.equals(orZeroTime(state.finishedAt()))) {
                    return "Created";
                }
                return "Exited (" + state.exitCode() + ") " + since(state.finishedAt(), now) + " ago";
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

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String orZeroTime(String value) {
        return value == null || value.isEmpty() ? ZERO_TIME : value;
    }

    /**
     * The top-level address fields repeat the default bridge's endpoint, as dockerd still fills
     * them for containers on "bridge"; on other networks they stay empty.
     */
    private static JsonObject networkSettings(ContainerView view) {
        Endpoint bridge = view.endpoints().stream().filter(e -> e.networkName().equals("bridge")).findFirst().orElse(null);
        return new JsonObject()
                .put("Bridge", "")
                .put("SandboxID", "")
                .put("SandboxKey", orEmpty(view.netnsPath()))
                .put("Ports", ports(view))
                .put("HairpinMode", false)
                .put("LinkLocalIPv6Address", "")
                .put("LinkLocalIPv6PrefixLen", 0)
                .put("SecondaryIPAddresses", (Object) null)
                .put("SecondaryIPv6Addresses", (Object) null)
                .put("EndpointID", bridge == null ? "" : bridge.endpointId())
                .put("Gateway", bridge == null ? "" : bridge.gateway())
                .put("GlobalIPv6Address", "")
                .put("GlobalIPv6PrefixLen", 0)
                .put("IPAddress", bridge == null ? "" : bridge.ipAddress())
                .put("IPPrefixLen", bridge == null ? 0 : bridge.ipPrefixLen())
                .put("IPv6Gateway", "")
                .put("MacAddress", bridge == null ? "" : bridge.macAddress())
                .put("Networks", networks(view));
    }

    /**
     * Published ports with their host bindings; exposed ports without bindings map to null, as in
     * Docker. The map itself is always there.
     */
    private static JsonObject ports(ContainerView view) {
        JsonObject ports = new JsonObject();
        if (view.config().exposedPorts() != null) {
            for (String port : view.config().exposedPorts().keySet()) {
                ports.put(port.contains("/") ? port : port + "/tcp", (Object) null);
            }
        }
        for (Endpoint endpoint : view.endpoints()) {
            for (PublishedPort published : endpoint.ports()) {
                String key = published.containerPort() + "/" + published.protocol();
                JsonArray bindings = ports.getJsonArray(key);
                if (bindings == null) {
                    bindings = new JsonArray();
                    ports.put(key, bindings);
                }
                bindings.add(new JsonObject().put("HostIp", published.hostIp()).put("HostPort", String.valueOf(published.hostPort())));
            }
        }
        return ports;
    }

    /** The Ports of a docker ps item: every published port, then exposed ports without a binding. */
    private static JsonArray summaryPorts(ContainerView view) {
        JsonArray ports = new JsonArray();
        java.util.Set<String> published = new java.util.HashSet<>();
        for (Endpoint endpoint : view.endpoints()) {
            for (PublishedPort port : endpoint.ports()) {
                published.add(port.containerPort() + "/" + port.protocol());
                ports.add(new JsonObject().put("IP", port.hostIp()).put("PrivatePort", port.containerPort())
                        .put("PublicPort", port.hostPort()).put("Type", port.protocol()));
            }
        }
        if (view.config().exposedPorts() != null) {
            for (String exposed : view.config().exposedPorts().keySet()) {
                String key = exposed.contains("/") ? exposed : exposed + "/tcp";
                if (!published.contains(key)) {
                    String[] parts = key.split("/");
                    ports.add(new JsonObject().put("PrivatePort", Integer.parseInt(parts[0])).put("Type", parts[1]));
                }
            }
        }
        return ports;
    }

    /**
     * The running container's endpoints; a container that does not run shows the networks it
     * will join (NetworkingConfig as the exec worker keeps it: the network of its NetworkMode, or
     * the list docker network connect and disconnect made), without addresses, as dockerd does.
     */
    private static JsonObject networks(ContainerView view) {
        JsonObject networks = new JsonObject();
        if (view.state().running()) {
            for (Endpoint endpoint : view.endpoints()) {
                JsonObject json = endpointJson(endpoint.macAddress(), endpoint.networkId(), endpoint.endpointId(),
                        endpoint.gateway(), endpoint.ipAddress(), endpoint.ipPrefixLen());
                json.put("Aliases", endpoint.aliases().isEmpty() ? null : new JsonArray(endpoint.aliases()));
                if (!endpoint.networkName().equals("bridge")) {
                    // Names the embedded DNS answers for on a user network, in dockerd's order.
                    JsonArray names = new JsonArray().add(view.name()).add(view.id().substring(0, 12));
                    endpoint.aliases().forEach(names::add);
                    json.put("DNSNames", names);
                }
                networks.put(endpoint.networkName(), json);
            }
            if (!networks.isEmpty()) {
                return networks;
            }
        }
        java.util.Map<String, NetworkingConfig.EndpointSettings> joined = new java.util.LinkedHashMap<>();
        String mode = view.hostConfig().effectiveNetworkMode();
        if (view.networkingConfig() != null) {
            joined.putAll(view.networkingConfig().endpoints());
        } else if (!mode.startsWith("container:")) {
            // A view without the list (from an older worker): the network its NetworkMode names.
            joined.put(mode.equals("default") ? "bridge" : mode, null);
        }
        joined.forEach((name, settings) -> {
            JsonObject json = endpointJson("", "", "", "", "", 0);
            if (settings != null && settings.aliases() != null && !settings.aliases().isEmpty()) {
                json.put("Aliases", new JsonArray(settings.aliases()));
            }
            if (settings != null && settings.ipamConfig() != null && settings.ipamConfig().ipv4Address() != null) {
                json.put("IPAMConfig", new JsonObject().put("IPv4Address", settings.ipamConfig().ipv4Address()));
            }
            networks.put(name, json);
        });
        return networks;
    }

    private static JsonObject endpointJson(String mac, String networkId, String endpointId, String gateway, String ip, int prefix) {
        return new JsonObject()
                .put("IPAMConfig", (Object) null)
                .put("Links", (Object) null)
                .put("Aliases", (Object) null)
                .put("MacAddress", mac)
                .put("DriverOpts", (Object) null)
                .put("GwPriority", 0)
                .put("NetworkID", networkId)
                .put("EndpointID", endpointId)
                .put("Gateway", gateway)
                .put("IPAddress", ip)
                .put("IPPrefixLen", prefix)
                .put("IPv6Gateway", "")
                .put("GlobalIPv6Address", "")
                .put("GlobalIPv6PrefixLen", 0)
                .put("DNSNames", (Object) null);
    }
}
