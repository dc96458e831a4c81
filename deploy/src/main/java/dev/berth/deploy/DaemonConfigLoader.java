package dev.berth.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.bus.contract.container.HostConfig;
import dev.berth.exec.container.UnsupportedOptions;
import dev.berth.graph.registry.RegistryOptions;
import dev.berth.net.bridge.AddressPoolSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Merges daemon.json and the command line as dockerd does: a key unknown to the daemon, or set
 * both in the file and as a flag, is an error rather than a silent surprise.
 */
final class DaemonConfigLoader {
    static final Path DEFAULT_CONFIG_FILE = Path.of("/etc/berth/daemon.json");
    private static final Set<String> KNOWN_KEYS = Set.of("hosts", "data-root", "exec-root", "pidfile", "debug",
            "log-level", "labels", "node-name", "default-runtime", "conmon", "cgroup-parent", "insecure-registries",
            "registry-mirrors", "registry-certs-dirs", "max-concurrent-downloads", "max-concurrent-uploads",
            "bridge", "bip", "default-address-pools", "dns", "registry-stall-timeout", "log-driver", "log-opts",
            "storage-driver");
    static final Path BERTH_CERTS = Path.of("/etc/berth/certs.d");
    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "fatal");

    private DaemonConfigLoader() {
    }

    static DaemonConfig load(DaemonFlags flags) throws IOException {
        return load(flags, StorageDrivers::overlayAvailable);
    }

    /** overlay: whether the kernel has overlayfs, asked only when the driver is not given or is overlay2. */
    static DaemonConfig load(DaemonFlags flags, java.util.function.BooleanSupplier overlay) throws IOException {
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
        List<String> insecure = pickList(file, "insecure-registries", flags.insecureRegistries, problems);
        List<String> mirrors = pickList(file, "registry-mirrors", flags.registryMirrors, problems);
        List<String> certsDirs = pickList(file, "registry-certs-dirs", flags.registryCertsDirs, problems);
        String downloads = pick(file, "max-concurrent-downloads", flags.maxConcurrentDownloads, "3", problems);
        String uploads = pick(file, "max-concurrent-uploads", flags.maxConcurrentUploads, "5", problems);
        String stallTimeout = pick(file, "registry-stall-timeout", flags.registryStallTimeout, "30s", problems);
        String bridge = pick(file, "bridge", flags.bridge, "berth0", problems);
        String bip = pick(file, "bip", flags.bip, null, problems);
        List<AddressPoolSpec> pools = addressPools(file, flags.defaultAddressPools, problems);
        List<String> dns = pickList(file, "dns", flags.dns, problems);
        String logDriver = pick(file, "log-driver", flags.logDriver, null, problems);
        Map<String, String> logOpts = logOpts(file, flags.logOpts, problems);
        String storageDriver = pick(file, "storage-driver", flags.storageDriver, null, problems);

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
        for (String server : dns) {
            if (!isIpAddress(server)) {
                throw new IllegalArgumentException("IP address is not correctly formatted: " + server);
            }
        }
        return new DaemonConfig(List.copyOf(hosts), dataRoot, execRoot, pidfile, level, nodeName, List.copyOf(labels),
                resolveExecutable(runtime), resolveExecutable(conmon), cgroupParent,
                registries(insecure, mirrors, certsDirs, downloads, uploads, stallTimeout), bridge, bip, pools, List.copyOf(dns),
                logConfig(logDriver, logOpts), StorageDrivers.choose(storageDriver, overlay));
    }

    /**
     * The daemon's default LogConfig, checked as a container's would be: an unknown driver or
     * option, or a bad value, stops the daemon as it stops dockerd. Options without a driver
     * are the default driver's (json-file).
     */
    static HostConfig.LogConfig logConfig(String driver, Map<String, String> options) {
        if (driver == null && options.isEmpty()) {
            return null;
        }
        String type = driver == null ? "json-file" : driver;
        try {
            UnsupportedOptions.checkDaemonLogConfig(type, options);
        } catch (dev.berth.bus.EngineException e) {
            throw new IllegalArgumentException("failed to set log opts: " + e.getMessage());
        }
        return new HostConfig.LogConfig(type, Map.copyOf(options));
    }

    /** daemon.json's {"max-size":"10m",…}, or the flag's key=value pairs. */
    private static Map<String, String> logOpts(JsonNode file, List<String> flag, List<String> problems) {
        JsonNode fromFile = file.get("log-opts");
        if (fromFile != null && !flag.isEmpty()) {
            problems.add("log-opts");
        }
        Map<String, String> options = new java.util.LinkedHashMap<>();
        for (String pair : flag) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("invalid --log-opt " + pair + " (key=value)");
            }
            options.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        if (flag.isEmpty() && fromFile != null) {
            if (!fromFile.isObject()) {
                throw new IllegalArgumentException("log-opts must be an object of strings, such as {\"max-size\":\"10m\"}");
            }
            fromFile.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    throw new IllegalArgumentException("log-opts." + e.getKey() + " must be a string");
                }
                options.put(e.getKey(), e.getValue().asText());
            });
        }
        return options;
    }

    /** An IPv4 or IPv6 literal; never a name, which would need a resolver to check. */
    static boolean isIpAddress(String value) {
        if (value.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            for (String part : value.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (value.contains(":") && value.matches("[0-9A-Fa-f:.]+")) {
            try {
                return java.net.InetAddress.getByName(value) instanceof java.net.Inet6Address;
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /** dockerd's registry settings, checked as dockerd checks them. */
    static RegistryOptions registries(List<String> insecure, List<String> mirrors, List<String> certsDirs, String downloads,
            String uploads, String stallTimeout) {
        for (String entry : insecure) {
            if (entry.contains("://")) {
                throw new IllegalArgumentException("insecure registry " + entry + " should not contain '://'");
            }
            if (entry.contains("/") && !entry.matches("[0-9a-fA-F:.]+/[0-9]{1,3}")) {
                throw new IllegalArgumentException("invalid insecure registry CIDR " + entry);
            }
        }
        for (String mirror : mirrors) {
            if (!mirror.matches("https?://[^/?#]+/?")) {
                throw new IllegalArgumentException("invalid mirror: " + mirror + " (use http(s)://host[:port])");
            }
        }
        List<Path> dirs = new ArrayList<>(List.of(RegistryOptions.DOCKER_CERTS, BERTH_CERTS));
        certsDirs.forEach(dir -> dirs.add(Path.of(dir).toAbsolutePath().normalize()));
        return new RegistryOptions(insecure, mirrors, dirs, positive("max-concurrent-downloads", downloads),
                positive("max-concurrent-uploads", uploads), goDuration("registry-stall-timeout", stallTimeout));
    }

    /** A duration as dockerd's Go flags write them: 30s, 1m30s, 500ms; positive. */
    static java.time.Duration goDuration(String key, String value) {
        java.util.regex.Matcher part = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)").matcher(value.trim());
        double nanos = 0;
        int end = 0;
        while (part.find() && part.start() == end) {
            double amount = Double.parseDouble(part.group(1));
            nanos += amount * switch (part.group(2)) {
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            end = part.end();
        }
        if (end == 0 || end != value.trim().length() || nanos < 1e6) {
            throw new IllegalArgumentException("invalid " + key + " " + value + ": use a positive duration such as 30s or 2m");
        }
        return java.time.Duration.ofNanos((long) nanos);
    }

    private static int positive(String key, String value) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("invalid " + key + " " + value + ": it must be a positive integer");
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
