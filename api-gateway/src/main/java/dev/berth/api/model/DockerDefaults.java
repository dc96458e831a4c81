package dev.berth.api.model;

import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.container.ContainerConfig;
import dev.berth.bus.contract.container.HostConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Config and HostConfig as `docker inspect` shows them: the typed records (which carry Docker's
 * names) over Docker's zero values, since dockerd prints every field, set or not.
 */
public final class DockerDefaults {
    private DockerDefaults() {
    }

    public static JsonObject config(ContainerConfig config) {
        JsonObject json = new JsonObject()
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
        return json.mergeIn(JobCodec.encode(config));
    }

    public static JsonObject hostConfig(HostConfig hostConfig) {
        JsonObject json = new JsonObject()
                .put("Binds", (Object) null)
                .put("ContainerIDFile", "")
                .put("LogConfig", new JsonObject().put("Type", "k8s-file").put("Config", new JsonObject()))
                .put("NetworkMode", "default")
                .put("PortBindings", new JsonObject())
                .put("RestartPolicy", new JsonObject().put("Name", "no").put("MaximumRetryCount", 0))
                .put("AutoRemove", false)
                .put("VolumeDriver", "")
                .put("VolumesFrom", (Object) null)
                .put("ConsoleSize", new JsonArray().add(0).add(0))
                .put("CapAdd", (Object) null)
                .put("CapDrop", (Object) null)
                .put("CgroupnsMode", "")
                .put("Dns", new JsonArray())
                .put("DnsOptions", new JsonArray())
                .put("DnsSearch", new JsonArray())
                .put("ExtraHosts", (Object) null)
                .put("GroupAdd", (Object) null)
                .put("IpcMode", "private")
                .put("Cgroup", "")
                .put("Links", (Object) null)
                .put("OomScoreAdj", 0)
                .put("PidMode", "")
                .put("Privileged", false)
                .put("PublishAllPorts", false)
                .put("ReadonlyRootfs", false)
                .put("SecurityOpt", (Object) null)
                .put("UTSMode", "")
                .put("UsernsMode", "")
                .put("ShmSize", 67108864)
                .put("Runtime", "runc")
                .put("Isolation", "")
                .put("CpuShares", 0)
                .put("Memory", 0)
                .put("NanoCpus", 0)
                .put("CgroupParent", "")
                .put("BlkioWeight", 0)
                .put("BlkioWeightDevice", new JsonArray())
                .put("BlkioDeviceReadBps", new JsonArray())
                .put("BlkioDeviceWriteBps", new JsonArray())
                .put("BlkioDeviceReadIOps", new JsonArray())
                .put("BlkioDeviceWriteIOps", new JsonArray())
                .put("CpuPeriod", 0)
                .put("CpuQuota", 0)
                .put("CpuRealtimePeriod", 0)
                .put("CpuRealtimeRuntime", 0)
                .put("CpusetCpus", "")
                .put("CpusetMems", "")
                .put("Devices", new JsonArray())
                .put("DeviceCgroupRules", (Object) null)
                .put("DeviceRequests", (Object) null)
                .put("MemoryReservation", 0)
                .put("MemorySwap", 0)
                .put("MemorySwappiness", (Object) null)
                .put("OomKillDisable", false)
                .put("PidsLimit", (Object) null)
                .put("Ulimits", new JsonArray())
                .put("CpuCount", 0)
                .put("CpuPercent", 0)
                .put("IOMaximumIOps", 0)
                .put("IOMaximumBandwidth", 0)
                // The exec worker's spec masks Docker's default paths; null says "the defaults".
                .put("MaskedPaths", (Object) null)
                .put("ReadonlyPaths", (Object) null);
        JsonObject set = JobCodec.encode(hostConfig);
        json.mergeIn(set);
        // Unset, "" and "default" are the same to Docker; inspect shows the names it would.
        if (hostConfig.networkMode() == null || hostConfig.networkMode().isEmpty()) {
            json.put("NetworkMode", "default");
        }
        if (hostConfig.restartPolicyName().isEmpty()) {
            json.put("RestartPolicy", new JsonObject().put("Name", "no").put("MaximumRetryCount", 0));
        }
        if (hostConfig.logConfig() == null || hostConfig.logConfig().type() == null || hostConfig.logConfig().type().isEmpty()) {
            json.put("LogConfig", new JsonObject().put("Type", "k8s-file").put("Config", new JsonObject()));
        }
        if (hostConfig.shmSize() == null || hostConfig.shmSize() == 0) {
            json.put("ShmSize", 67108864);
        }
        if (hostConfig.ipcMode() == null || hostConfig.ipcMode().isEmpty()) {
            json.put("IpcMode", "private");
        }
        if (hostConfig.runtime() == null || hostConfig.runtime().isEmpty()) {
            json.put("Runtime", "runc");
        }
        return json;
    }
}
