package dev.berth.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.net.bridge.AddressPoolSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Merges daemon.json and the command line as dockerd does: a key unknown to the daemon, or set
 * both in the file and as a flag, is an error rather than a silent surprise.
 */
final class DaemonConfigLoader {
    static final Path DEFAULT_CONFIG_FILE = Path.of("/etc/berth/daemon.json");
    private static final Set<String> KNOWN_KEYS = Set.of("hosts", "data-root", "exec-root", "pidfile", "debug",
            "log-level", "labels", "node-name", "default-runtime", "conmon", "cgroup-parent",
            "bridge", "bip", "default-address-pools");
    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "fatal");

    private DaemonConfigLoader() {
    }

    static DaemonConfig load(DaemonFlags flags) throws IOException {
        JsonNode file = readFile(flags);
        List<String> problems = new ArrayList<>();
        Set<String> unknown = new TreeSet<>();
        file.fieldNames().forEachRemaining(key -> {
            if (!KNOWN_KEYS.contains(key)) {
                unknown.add(key);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("the following directives don't match any configuration option: "
                    + String.join(", ", unknown));
        }

        List<String> hosts = pickList(file, "hosts", flags.hosts, problems);
        if (hosts.isEmpty()) {
            hosts = List.of("unix:///run/berth/berth.sock");
        }
        Path dataRoot = Path.of(pick(file, "data-root", flags.dataRoot, "/var/lib/berth", problems)).toAbsolutePath().normalize();
        Path execRoot = Path.of(pick(file, "exec-root", flags.execRoot, "/run/berth", problems)).toAbsolutePath().normalize();
        Path pidfile = Path.of(pick(file, "pidfile", flags.pidfile, execRoot.resolve("berthd.pid").toString(), problems));
        boolean debug = Boolean.parseBoolean(pick(file, "debug", flags.debug == null ? null : flags.debug.toString(), "false", problems));
        String level = pick(file, "log-level", flags.logLevel, debug ? "debug" : "info", problems).toLowerCase();
        String nodeName = pick(file, "node-name", flags.nodeName, dev.berth.host.HostFacts.hostname(), problems);
        List<String> labels = pickList(file, "labels", flags.labels, problems);
        String runtime = pick(file, "default-runtime", flags.defaultRuntime, "runc", problems);
        String conmon = pick(file, "conmon", flags.conmon, "conmon", problems);
        String cgroupParent = pick(file, "cgroup-parent", flags.cgroupParent, "/berth", problems);
        String bridge = pick(file, "bridge", flags.bridge, "berth0", problems);
        String bip = pick(file, "bip", flags.bip, null, problems);
        List<AddressPoolSpec> pools = addressPools(file, flags.defaultAddressPools, problems);

        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the following directives are specified both as a flag and in the configuration file: "
                    + String.join(", ", problems));
        }
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException("unknown log level " + level + " (use debug, info, warn, error or fatal)");
        }
        // conmon splits its log option on ':', so no path below the data root may hold one.
        if (dataRoot.toString().contains(":")) {
            throw new IllegalArgumentException("--data-root must not contain ':' (" + dataRoot + ")");
        }
        if (!nodeName.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("invalid node name " + nodeName);
        }
        if (!cgroupParent.matches("/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")) {
            throw new IllegalArgumentException("invalid cgroup parent " + cgroupParent);
        }
        if (!cgroupParent.startsWith("/")) {
            cgroupParent = "/" + cgroupParent;
        }
        for (String label : labels) {
            if (!label.contains("=")) {
                throw new IllegalArgumentException("label must be key=value: " + label);
            }
        }
        return new DaemonConfig(List.copyOf(hosts), dataRoot, execRoot, pidfile, level, nodeName, List.copyOf(labels),
                resolveExecutable(runtime), resolveExecutable(conmon), cgroupParent, bridge, bip, pools);
    }

    /** daemon.json's [{"base":"10.10.0.0/16","size":24}], or dockerd's flag form base=…,size=…. */
    private static List<AddressPoolSpec> addressPools(JsonNode file, List<String> flag, List<String> problems) {
        JsonNode fromFile = file.get("default-address-pools");
        if (fromFile != null && !flag.isEmpty()) {
            problems.add("default-address-pools");
        }
        List<AddressPoolSpec> pools = new ArrayList<>();
        try {
            if (!flag.isEmpty()) {
                for (String value : flag) {
                    String base = null;
                    Integer size = null;
                    for (String part : value.split(",")) {
                        String[] pair = part.split("=", 2);
                        if (pair.length == 2 && pair[0].trim().equals("base")) {
                            base = pair[1].trim();
                        } else if (pair.length == 2 && pair[0].trim().equals("size")) {
                            size = Integer.parseInt(pair[1].trim());
                        } else {
                            throw new IllegalArgumentException("invalid --default-address-pool " + value + " (base=CIDR,size=N)");
                        }
                    }
                    if (base == null || size == null) {
                        throw new IllegalArgumentException("invalid --default-address-pool " + value + " (base=CIDR,size=N)");
                    }
                    pools.add(new AddressPoolSpec(base, size));
                }
            } else if (fromFile != null) {
                if (!fromFile.isArray()) {
                    throw new IllegalArgumentException("default-address-pools must be a list of {\"base\":…,\"size\":…}");
                }
                for (JsonNode pool : fromFile) {
                    if (!pool.path("base").isTextual() || !pool.path("size").isInt()) {
                        throw new IllegalArgumentException("default-address-pools must be a list of {\"base\":…,\"size\":…}");
                    }
                    pools.add(new AddressPoolSpec(pool.get("base").asText(), pool.get("size").asInt()));
                }
            }
        } catch (NumberFormatException | dev.berth.bus.EngineException e) {
            throw new IllegalArgumentException("invalid default address pool: " + e.getMessage());
        }
        return pools;
    }

    private static JsonNode readFile(DaemonFlags flags) throws IOException {
        Path file = flags.configFile != null ? Path.of(flags.configFile) : DEFAULT_CONFIG_FILE;
        if (!Files.exists(file)) {
            if (flags.configFile != null) {
                throw new IOException("configuration file " + file + " does not exist");
            }
            return new ObjectMapper().createObjectNode();
        }
        try {
            JsonNode node = new ObjectMapper().readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new IOException("configuration file " + file + " must hold a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("invalid JSON in " + file + ": " + e.getOriginalMessage(), e);
        }
    }

    private static String pick(JsonNode file, String key, String flag, String fallback, List<String> problems) {
        JsonNode fromFile = file.get(key);
        if (fromFile != null && flag != null) {
            problems.add(key);
        }
        if (flag != null) {
            return flag;
        }
        return fromFile != null ? fromFile.asText() : fallback;
    }

    private static List<String> pickList(JsonNode file, String key, List<String> flag, List<String> problems) {
        JsonNode fromFile = file.get(key);
        if (fromFile != null && !flag.isEmpty()) {
            problems.add(key);
        }
        if (!flag.isEmpty()) {
            return flag;
        }
        List<String> values = new ArrayList<>();
        if (fromFile != null) {
            fromFile.forEach(v -> values.add(v.asText()));
        }
        return values;
    }

    /** A bare program name is looked up on PATH, as exec would. */
    static String resolveExecutable(String name) {
        if (name.contains("/")) {
            return name;
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalArgumentException(name + " was not found on PATH; install it (apt-get install " + name + ")");
    }
}
