package dev.berth.bus.contract.container;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * Docker's HostConfig as a client sends it at create, with Docker's field names: every field of
 * API 1.51 and the older ones docker-java still sends ({@code KernelMemory}, {@code DiskQuota},
 * {@code LxcConf}), so that none is dropped unseen. A null field was not set. Which fields the
 * exec worker acts on, and which it refuses when set, is its own list (UnsupportedOptions).
 */
@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
public record HostConfig(
        // ---- resources
        Long cpuShares,
        Long memory,
        String cgroupParent,
        Integer blkioWeight,
        List<WeightDevice> blkioWeightDevice,
        List<ThrottleDevice> blkioDeviceReadBps,
        List<ThrottleDevice> blkioDeviceWriteBps,
        @JsonProperty("BlkioDeviceReadIOps") List<ThrottleDevice> blkioDeviceReadIOps,
        @JsonProperty("BlkioDeviceWriteIOps") List<ThrottleDevice> blkioDeviceWriteIOps,
        Long cpuPeriod,
        Long cpuQuota,
        Long cpuRealtimePeriod,
        Long cpuRealtimeRuntime,
        String cpusetCpus,
        String cpusetMems,
        List<DeviceMapping> devices,
        List<String> deviceCgroupRules,
        List<DeviceRequest> deviceRequests,
        Long kernelMemory,
        @JsonProperty("KernelMemoryTCP") Long kernelMemoryTcp,
        Long memoryReservation,
        Long memorySwap,
        Long memorySwappiness,
        Long nanoCpus,
        Boolean oomKillDisable,
        Boolean init,
        Long pidsLimit,
        List<Ulimit> ulimits,
        Long cpuCount,
        Long cpuPercent,
        @JsonProperty("IOMaximumIOps") Long ioMaximumIops,
        @JsonProperty("IOMaximumBandwidth") Long ioMaximumBandwidth,
        Long diskQuota,
        // ---- the container's place on the host
        List<String> binds,
        @JsonProperty("ContainerIDFile") String containerIdFile,
        LogConfig logConfig,
        String networkMode,
        Map<String, List<PortBinding>> portBindings,
        RestartPolicy restartPolicy,
        Boolean autoRemove,
        String volumeDriver,
        List<String> volumesFrom,
        List<Mount> mounts,
        List<Integer> consoleSize,
        Map<String, String> annotations,
        List<String> capAdd,
        List<String> capDrop,
        String cgroupnsMode,
        List<String> dns,
        List<String> dnsOptions,
        List<String> dnsSearch,
        List<String> extraHosts,
        List<String> groupAdd,
        String ipcMode,
        String cgroup,
        List<String> links,
        Integer oomScoreAdj,
        String pidMode,
        Boolean privileged,
        Boolean publishAllPorts,
        Boolean readonlyRootfs,
        List<String> securityOpt,
        Map<String, String> storageOpt,
        Map<String, String> tmpfs,
        @JsonProperty("UTSMode") String utsMode,
        String usernsMode,
        Long shmSize,
        Map<String, String> sysctls,
        String runtime,
        String isolation,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        List<LxcConf> lxcConf) {

    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record WeightDevice(String path, Integer weight) {
    }

    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record ThrottleDevice(String path, Long rate) {
    }

    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {
    }

    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record DeviceRequest(String driver, Integer count, @JsonProperty("DeviceIDs") List<String> deviceIds,
            List<List<String>> capabilities, Map<String, String> options) {
    }

    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record Ulimit(String name, Long soft, Long hard) {
    }

    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record LogConfig(String type, Map<String, String> config) {
        /** The none driver: conmon writes no log, and docker logs has nothing to read. */
        public static boolean writesNoLog(LogConfig config) {
            return config != null && "none".equals(config.type());
        }
    }

    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record PortBinding(@JsonProperty("HostIp") String hostIp, String hostPort) {
    }

    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record RestartPolicy(String name, Integer maximumRetryCount) {
    }

    /** One --mount; the per-type options stay as Docker sent them until mounts are supported. */
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record Mount(String type, String source, String target, Boolean readOnly, String consistency,
            Map<String, Object> bindOptions, Map<String, Object> volumeOptions, Map<String, Object> imageOptions,
            Map<String, Object> tmpfsOptions) {
    }

    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record LxcConf(String key, String value) {
    }

    /** Every field unset. */
    public static HostConfig empty() {
        return dev.berth.bus.JobCodec.decode(io.vertx.core.buffer.Buffer.buffer("{}"), HostConfig.class);
    }

    /** NetworkMode as the worker uses it: unset and "" mean "default", Docker's bridge. */
    public String effectiveNetworkMode() {
        return networkMode == null || networkMode.isEmpty() ? "default" : networkMode;
    }

    public String restartPolicyName() {
        return restartPolicy == null || restartPolicy.name() == null ? "" : restartPolicy.name();
    }

    public boolean autoRemoveEnabled() {
        return Boolean.TRUE.equals(autoRemove);
    }

    public boolean privilegedEnabled() {
        return Boolean.TRUE.equals(privileged);
    }

    public boolean readonlyRootfsEnabled() {
        return Boolean.TRUE.equals(readonlyRootfs);
    }

    public List<String> dnsServers() {
        return dns == null ? List.of() : dns;
    }
}
