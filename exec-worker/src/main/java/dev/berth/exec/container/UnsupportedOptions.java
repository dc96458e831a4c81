package dev.berth.exec.container;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.container.ContainerConfig;
import dev.berth.bus.contract.container.ContainerJobTypes;
import dev.berth.bus.contract.container.CreateContainer;
import dev.berth.bus.contract.container.HostConfig;
import dev.berth.bus.contract.container.NetworkingConfig;
import dev.berth.bus.contract.logs.LogDriverConfig;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The create options Berth does not act on yet, in one list: a value other than the default
 * (null, 0, false, "", empty, or the one value clients send for "as usual") is refused with a
 * 400 that names the option, rather than stored, echoed by inspect and ignored. When a feature
 * lands, its options leave this list in the same change.
 *
 * <p>An option absent from the list is acted on, or accepted as the metadata it is
 * (AttachStdin/out/err, ExposedPorts, ArgsEscaped, OnBuild, Shell, ContainerIDFile, which the
 * client writes itself). Listing what is acted on here as well only made every feature's change
 * collide with every other's.
 */
public final class UnsupportedOptions {
    /** One option: where it sits, the flag a CLI user knows it by, and when it asks for something. */
    record Option(String field, String flag, Predicate<CreateContainer> isSet) {
    }

    /**
     * The log drivers whose behaviour Berth's own log (conmon's k8s-file, read by docker logs)
     * gives (local is the same file with its own default rotation), and none, where conmon writes
     * no log.
     */
    private static final Set<String> LOG_DRIVERS = Set.of("", "json-file", "k8s-file", "local", "none");
    /**
     * The log options the log worker honours: which labels and env the log's details show,
     * rotation, and compress=false (compress=true is refused by {@code LogDriverConfig}).
     */
    private static final Set<String> LOG_OPTS = Set.of("labels", "labels-regex", "env", "env-regex", "max-size", "max-file",
            "compress");
    /** Docker's /dev/shm size, which Berth's spec gives every container. */
    static final long DEFAULT_SHM_SIZE = 64L * 1024 * 1024;

    static final List<Option> OPTIONS = List.of(
            config("Domainname", "--domainname", c -> nonEmpty(c.domainname())),
            config("PortSpecs", "port specs", c -> nonEmpty(c.portSpecs())),
            config("NetworkDisabled", "network disabled", c -> isTrue(c.networkDisabled())),
            config("MacAddress", "--mac-address", c -> nonEmpty(c.macAddress())),
            config("StopTimeout", "--stop-timeout above " + ContainerJobTypes.MAX_STOP_TIMEOUT_SECONDS + " s",
                    c -> c.stopTimeout() != null && c.stopTimeout() > ContainerJobTypes.MAX_STOP_TIMEOUT_SECONDS),

            host("MemorySwappiness", "--memory-swappiness", h -> h.memorySwappiness() != null && h.memorySwappiness() != -1),
            host("KernelMemory", "--kernel-memory", h -> nonZero(h.kernelMemory())),
            host("KernelMemoryTCP", "kernel TCP memory", h -> nonZero(h.kernelMemoryTcp())),
            host("OomScoreAdj", "--oom-score-adj", h -> nonZero(h.oomScoreAdj())),
            host("CpuRealtimePeriod", "--cpu-rt-period", h -> nonZero(h.cpuRealtimePeriod())),
            host("CpuRealtimeRuntime", "--cpu-rt-runtime", h -> nonZero(h.cpuRealtimeRuntime())),
            host("CpusetMems", "--cpuset-mems", h -> nonEmpty(h.cpusetMems())),
            host("CpuCount", "--cpu-count", h -> nonZero(h.cpuCount())),
            host("CpuPercent", "--cpu-percent", h -> nonZero(h.cpuPercent())),
            host("IOMaximumIOps", "--io-maxiops", h -> nonZero(h.ioMaximumIops())),
            host("IOMaximumBandwidth", "--io-maxbandwidth", h -> nonZero(h.ioMaximumBandwidth())),
            host("BlkioWeight", "--blkio-weight", h -> nonZero(h.blkioWeight())),
            host("BlkioWeightDevice", "--blkio-weight-device", h -> nonEmpty(h.blkioWeightDevice())),
            host("BlkioDeviceReadBps", "--device-read-bps", h -> nonEmpty(h.blkioDeviceReadBps())),
            host("BlkioDeviceWriteBps", "--device-write-bps", h -> nonEmpty(h.blkioDeviceWriteBps())),
            host("BlkioDeviceReadIOps", "--device-read-iops", h -> nonEmpty(h.blkioDeviceReadIOps())),
            host("BlkioDeviceWriteIOps", "--device-write-iops", h -> nonEmpty(h.blkioDeviceWriteIOps())),
            host("DeviceCgroupRules", "--device-cgroup-rule", h -> nonEmpty(h.deviceCgroupRules())),
            host("DeviceRequests", "--gpus", h -> nonEmpty(h.deviceRequests())),
            host("DiskQuota", "disk quota", h -> nonZero(h.diskQuota())),
            host("CgroupParent", "--cgroup-parent", h -> nonEmpty(h.cgroupParent())),
            host("LogConfig", "--log-driver/--log-opt", h -> h.logConfig() != null
                    && (!LOG_DRIVERS.contains(Objects.requireNonNullElse(h.logConfig().type(), ""))
                    || h.logConfig().config() != null && !LOG_OPTS.containsAll(h.logConfig().config().keySet()))),
            host("VolumeDriver", "--volume-driver other than local", h -> nonEmpty(h.volumeDriver())
                    && !h.volumeDriver().equals("local")),
            host("Annotations", "--annotation", h -> nonEmpty(h.annotations())),
            host("CgroupnsMode", "--cgroupns", h -> nonEmpty(h.cgroupnsMode())),
            host("IpcMode", "--ipc", h -> !List.of("", "private").contains(Objects.requireNonNullElse(h.ipcMode(), ""))),
            host("Cgroup", "--cgroup", h -> nonEmpty(h.cgroup())),
            host("PidMode", "--pid", h -> nonEmpty(h.pidMode())),
            host("StorageOpt", "--storage-opt", h -> nonEmpty(h.storageOpt())),
            host("UTSMode", "--uts", h -> nonEmpty(h.utsMode())),
            host("UsernsMode", "--userns", h -> nonEmpty(h.usernsMode())),
            host("Sysctls", "--sysctl", h -> nonEmpty(h.sysctls())),
            host("Runtime", "--runtime", h -> !List.of("", "runc").contains(Objects.requireNonNullElse(h.runtime(), ""))),
            host("Isolation", "--isolation", h -> !List.of("", "default").contains(Objects.requireNonNullElse(h.isolation(), ""))),
            host("LxcConf", "LXC options", h -> nonEmpty(h.lxcConf())),

            endpoint("IPAMConfig", "--ip6/--link-local-ip", e -> e.ipamConfig() != null
                    && (nonEmpty(e.ipamConfig().ipv6Address()) || nonEmpty(e.ipamConfig().linkLocalIps()))),
            endpoint("Links", "--link", e -> nonEmpty(e.links())),
            endpoint("DriverOpts", "--network driver-opt", e -> nonEmpty(e.driverOpts())),
            endpoint("GwPriority", "--network gw-priority", e -> nonZero(e.gwPriority())),
            new Option("NetworkingConfig.EndpointsConfig", "more than one --network",
                    create -> create.networkingConfig().endpoints().size() > 1));

    private UnsupportedOptions() {
    }

    /** Throws INVALID_ARGUMENT naming the first option asked for that Berth does not act on. */
    public static void check(CreateContainer create) {
        for (Option option : OPTIONS) {
            if (option.isSet().test(create)) {
                throw EngineException.invalid("berth does not support " + option.field() + " (" + option.flag() + ") yet");
            }
        }
        if (create.hostConfig().logConfig() != null) {
            LogDriverConfig.checkValues(create.hostConfig().logConfig().type(), create.hostConfig().logConfig().config());
        }
    }

    /**
     * daemon.json {@code log-driver} and {@code log-opts} (or --log-driver, --log-opt): what a
     * container could not ask for, the daemon may not default to; the message names the key.
     */
    public static void checkDaemonLogConfig(String driver, java.util.Map<String, String> options) {
        if (driver == null || driver.isEmpty() || !LOG_DRIVERS.contains(driver)) {
            throw EngineException.invalid("berth does not support the log driver " + driver + " (log-driver) yet");
        }
        for (String key : options.keySet()) {
            if (!LOG_OPTS.contains(key)) {
                throw EngineException.invalid("berth does not support the log option " + key + " (log-opts) yet");
            }
        }
        LogDriverConfig.checkValues(driver, options);
    }

    private static Option config(String field, String flag, Predicate<ContainerConfig> isSet) {
        return new Option("Config." + field, flag, create -> isSet.test(create.config()));
    }

    private static Option host(String field, String flag, Predicate<HostConfig> isSet) {
        return new Option("HostConfig." + field, flag, create -> isSet.test(create.hostConfig()));
    }

    private static Option endpoint(String field, String flag, Predicate<NetworkingConfig.EndpointSettings> isSet) {
        return new Option("NetworkingConfig.EndpointsConfig." + field, flag, create -> create.networkingConfig().endpoints()
                .values().stream().anyMatch(e -> e != null && isSet.test(e)));
    }

    private static boolean isTrue(Boolean value) {
        return Boolean.TRUE.equals(value);
    }

    private static boolean nonZero(Number value) {
        return value != null && value.longValue() != 0;
    }

    private static boolean nonEmpty(String value) {
        return value != null && !value.isEmpty();
    }

    private static boolean nonEmpty(Collection<?> value) {
        return value != null && !value.isEmpty();
    }

    private static boolean nonEmpty(Map<?, ?> value) {
        return value != null && !value.isEmpty();
    }
}
