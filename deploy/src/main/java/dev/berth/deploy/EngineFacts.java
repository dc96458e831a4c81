package dev.berth.deploy;

import dev.berth.host.HostFacts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** The static part of `docker info` and `docker version`: this host and this daemon's settings. */
final class EngineFacts {
    private EngineFacts() {
    }

    static JsonObject collect(DaemonConfig config) throws IOException {
        HostFacts.CgroupMode cgroups = HostFacts.cgroupMode();
        JsonArray labels = new JsonArray();
        config.labels().forEach(labels::add);
        String runcVersion = firstLine(config.runtime(), "--version");
        String conmonVersion = firstLine(config.conmon(), "--version");
        return new JsonObject()
                .put("ID", engineId(config.dataRoot()))
                .put("Name", config.nodeName())
                .put("KernelVersion", HostFacts.kernelVersion())
                .put("OperatingSystem", HostFacts.operatingSystem())
                .put("OSVersion", osVersion())
                .put("OSType", "linux")
                .put("Architecture", HostFacts.machine())
                .put("NCPU", HostFacts.cpus())
                .put("MemTotal", HostFacts.memoryTotalBytes())
                .put("DockerRootDir", config.dataRoot().toString())
                .put("CgroupDriver", "cgroupfs")
                .put("CgroupVersion", cgroups.dockerVersion())
                .put("LoggingDriver", config.logConfig() == null ? "k8s-file" : config.logConfig().type())
                .put("Labels", labels)
                .put("Debug", "debug".equals(config.logLevel()) || "trace".equals(config.logLevel()))
                .put("MemoryLimit", true)
                .put("SwapLimit", cgroups != HostFacts.CgroupMode.UNIFIED && Files.exists(Path.of("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes")))
                .put("CpuCfsPeriod", true)
                .put("CpuCfsQuota", true)
                .put("CPUShares", true)
                .put("CPUSet", true)
                .put("PidsLimit", true)
                .put("OomKillDisable", cgroups != HostFacts.CgroupMode.UNIFIED)
                .put("IPv4Forwarding", readFlag("/proc/sys/net/ipv4/ip_forward"))
                .put("BridgeNfIptables", false)
                .put("BridgeNfIp6tables", false)
                .put("IndexServerAddress", "https://index.docker.io/v1/")
                .put("RegistryConfig", registryConfig(config.registries()))
                .put("GenericResources", (Object) null)
                .put("HttpProxy", System.getenv().getOrDefault("HTTP_PROXY", ""))
                .put("HttpsProxy", System.getenv().getOrDefault("HTTPS_PROXY", ""))
                .put("NoProxy", System.getenv().getOrDefault("NO_PROXY", ""))
                .put("ExperimentalBuild", false)
                .put("Runtimes", new JsonObject().put("runc", new JsonObject().put("path", config.runtime())))
                .put("DefaultRuntime", "runc")
                .put("LiveRestoreEnabled", true)
                .put("Isolation", "")
                .put("InitBinary", "")
                .put("ContainerdCommit", new JsonObject().put("ID", ""))
                .put("RuncCommit", new JsonObject().put("ID", runcVersion))
                .put("InitCommit", new JsonObject().put("ID", ""))
                // as dockerd lists them: the default seccomp profile applies when the host has one
                .put("SecurityOptions", java.nio.file.Files.isRegularFile(dev.berth.exec.oci.SeccompProfile.DEFAULT_PATH)
                        ? new JsonArray().add("name=seccomp,profile=builtin") : new JsonArray())
                // Only what works today: the local volume driver, and of the network drivers only
                // host and null ("none"); the default bridge gives a container loopback only,
                // so "bridge" joins the list when it really connects containers.
                .put("Plugins", new JsonObject()
                        .put("Volume", new JsonArray().add("local"))
                        .put("Network", new JsonArray().add("host").add("null"))
                        .put("Authorization", (Object) null)
                        .put("Log", new JsonArray().add("k8s-file")))
                .put("Warnings", new JsonArray())
                .put("GoArch", HostFacts.goArchitecture())
                .put("BuildTime", buildTime())
                .put("GitCommit", "")
                .put("RuntimeComponents", new JsonArray()
                        .add(new JsonObject().put("Name", "runc").put("Version", runcVersion)
                                .put("Details", new JsonObject().put("Path", config.runtime())))
                        .add(new JsonObject().put("Name", "conmon").put("Version", conmonVersion)
                                .put("Details", new JsonObject().put("Path", config.conmon()))));
    }

    /** A random id made once per data root, as dockerd's engine-id. */
    private static String engineId(Path dataRoot) throws IOException {
        Path file = dataRoot.resolve("engine-id");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        String id = UUID.randomUUID().toString();
        Files.createDirectories(dataRoot);
        Files.writeString(file, id + "\n", StandardCharsets.US_ASCII);
        return id;
    }

    private static String osVersion() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("VERSION_ID=")) {
                    return line.substring("VERSION_ID=".length()).replace("\"", "");
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "";
    }

    private static boolean readFlag(String file) {
        try {
            return "1".equals(Files.readString(Path.of(file)).trim());
        } catch (IOException e) {
            return false;
        }
    }

    private static String buildTime() {
        try {
            Path jar = Path.of(EngineFacts.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.getLastModifiedTime(jar).toInstant().toString();
        } catch (Exception e) {
            return "";
        }
    }

    /** The version line a tool prints, e.g. "1.1.5" from "runc version 1.1.5". */
    private static String firstLine(String program, String flag) {
        try {
            Process process = new ProcessBuilder(program, flag).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(5, TimeUnit.SECONDS);
            String line = output.lines().findFirst().orElse("");
            String[] words = line.trim().split("\\s+");
            return words.length == 0 ? "" : words[words.length - 1];
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** docker info's registry section: the insecure CIDRs and names, and docker.io's mirrors. */
    static JsonObject registryConfig(dev.berth.graph.registry.RegistryOptions registries) {
        JsonArray cidrs = new JsonArray().add("127.0.0.0/8").add("::1/128");
        JsonArray mirrors = new JsonArray();
        registries.mirrors().forEach(mirror -> mirrors.add(mirror.endsWith("/") ? mirror : mirror + "/"));
        JsonObject indexes = new JsonObject().put("docker.io", new JsonObject().put("Name", "docker.io")
                .put("Mirrors", mirrors.copy()).put("Secure", true).put("Official", true));
        for (String entry : registries.insecureRegistries()) {
            if (entry.contains("/")) {
                cidrs.add(entry);
            } else {
                indexes.put(entry, new JsonObject().put("Name", entry).put("Mirrors", new JsonArray()).put("Secure", false)
                        .put("Official", false));
            }
        }
        return new JsonObject().put("InsecureRegistryCIDRs", cidrs).put("IndexConfigs", indexes).put("Mirrors", mirrors);
    }
}
