package dev.berth.exec.container;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.container.ContainerConfig;
import dev.berth.bus.contract.container.ContainerJobTypes;
import dev.berth.bus.contract.container.CreateContainer;
import dev.berth.bus.contract.container.HostConfig;
import dev.berth.bus.contract.container.NetworkingConfig;
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
 * <p>Acted on today, so absent here: Config Hostname, User, Env, Cmd, Entrypoint, WorkingDir,
 * Tty, OpenStdin, StdinOnce, Image, Labels, StopSignal, StopTimeout (up to the maximum); HostConfig
 * NetworkMode, AutoRemove, Dns, Privileged, ReadonlyRootfs, RestartPolicy, ConsoleSize (the
 * terminal's first size), and the limits of {@code ResourceLimits}: Memory, MemorySwap,
 * MemoryReservation, OomKillDisable, NanoCpus, CpuShares, CpuPeriod, CpuQuota, CpusetCpus,
 * PidsLimit, Ulimits, ShmSize. Accepted as the metadata they are: AttachStdin/out/err, ExposedPorts,
 * ArgsEscaped, OnBuild, Shell, ContainerIDFile (the client writes that file).
 */
public final class UnsupportedOptions {
    /** One option: where it sits, the flag a CLI user knows it by, and when it asks for something. */
    record Option(String field, String flag, Predicate<CreateContainer> isSet) {
    }

    /** The log drivers whose behaviour Berth's own log (conmon's k8s-file, read by docker logs) gives. */
    private static final Set<String> LOG_DRIVERS = Set.of("", "json-file", "k8s-file");
    /** Docker's /dev/shm size, which Berth's spec gives every container. */
    static final long DEFAULT_SHM_SIZE = 64L * 1024 * 1024;

    static final List<Option> OPTIONS = List.of(
            config("Domainname", "--domainname", c -> nonEmpty(c.domainname())),
            config("PortSpecs", "port specs", c -> nonEmpty(c.portSpecs())),
            config("Healthcheck", "--health-cmd", c -> c.healthcheck() != null && !c.healthcheck().disablesChecks()),
            config("Volumes", "-v /path, anonymous volumes", c -> nonEmpty(c.volumes())),
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
            host("Devices", "--device", h -> nonEmpty(h.devices())),
            host("DeviceCgroupRules", "--device-cgroup-rule", h -> nonEmpty(h.deviceCgroupRules())),
            host("DeviceRequests", "--gpus", h -> nonEmpty(h.deviceRequests())),
            host("DiskQuota", "disk quota", h -> nonZero(h.diskQuota())),
            host("CgroupParent", "--cgroup-parent", h -> nonEmpty(h.cgroupParent())),
            host("Init", "--init", h -> isTrue(h.init())),
            host("Binds", "-v/--volume", h -> nonEmpty(h.binds())),
            host("LogConfig", "--log-driver/--log-opt", h -> h.logConfig() != null
                    && (!LOG_DRIVERS.contains(Objects.requireNonNullElse(h.logConfig().type(), ""))
                    || nonEmpty(h.logConfig().config()))),
            host("PortBindings", "-p/--publish", h -> h.portBindings() != null
                    && h.portBindings().values().stream().anyMatch(UnsupportedOptions::nonEmpty)),
            host("PublishAllPorts", "-P/--publish-all", h -> isTrue(h.publishAllPorts())),
            host("VolumeDriver", "--volume-driver", h -> nonEmpty(h.volumeDriver())),
            host("VolumesFrom", "--volumes-from", h -> nonEmpty(h.volumesFrom())),
            host("Mounts", "--mount", h -> nonEmpty(h.mounts())),
            host("Annotations", "--annotation", h -> nonEmpty(h.annotations())),
            host("CapAdd", "--cap-add", h -> nonEmpty(h.capAdd())),
            host("CapDrop", "--cap-drop", h -> nonEmpty(h.capDrop())),
            host("CgroupnsMode", "--cgroupns", h -> nonEmpty(h.cgroupnsMode())),
            host("DnsOptions", "--dns-option", h -> nonEmpty(h.dnsOptions())),
            host("DnsSearch", "--dns-search", h -> nonEmpty(h.dnsSearch())),
            host("ExtraHosts", "--add-host", h -> nonEmpty(h.extraHosts())),
            host("GroupAdd", "--group-add", h -> nonEmpty(h.groupAdd())),
            host("IpcMode", "--ipc", h -> !List.of("", "private").contains(Objects.requireNonNullElse(h.ipcMode(), ""))),
            host("Cgroup", "--cgroup", h -> nonEmpty(h.cgroup())),
            host("Links", "--link", h -> nonEmpty(h.links())),
            host("PidMode", "--pid", h -> nonEmpty(h.pidMode())),
            host("SecurityOpt", "--security-opt", h -> nonEmpty(h.securityOpt())),
            host("StorageOpt", "--storage-opt", h -> nonEmpty(h.storageOpt())),
            host("Tmpfs", "--tmpfs", h -> nonEmpty(h.tmpfs())),
            host("UTSMode", "--uts", h -> nonEmpty(h.utsMode())),
            host("UsernsMode", "--userns", h -> nonEmpty(h.usernsMode())),
            host("Sysctls", "--sysctl", h -> nonEmpty(h.sysctls())),
            host("Runtime", "--runtime", h -> !List.of("", "runc").contains(Objects.requireNonNullElse(h.runtime(), ""))),
            host("Isolation", "--isolation", h -> !List.of("", "default").contains(Objects.requireNonNullElse(h.isolation(), ""))),
            host("MaskedPaths", "masked paths", h -> h.maskedPaths() != null),
            host("ReadonlyPaths", "read-only paths", h -> h.readonlyPaths() != null),
            host("LxcConf", "LXC options", h -> nonEmpty(h.lxcConf())),

            endpoint("IPAMConfig", "--ip/--ip6", e -> e.ipamConfig() != null && (nonEmpty(e.ipamConfig().ipv4Address())
                    || nonEmpty(e.ipamConfig().ipv6Address()) || nonEmpty(e.ipamConfig().linkLocalIps()))),
            endpoint("Links", "--link", e -> nonEmpty(e.links())),
            endpoint("Aliases", "--network-alias", e -> nonEmpty(e.aliases())),
            endpoint("MacAddress", "--mac-address", e -> nonEmpty(e.macAddress())),
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
