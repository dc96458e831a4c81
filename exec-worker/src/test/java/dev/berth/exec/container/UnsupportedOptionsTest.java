package dev.berth.exec.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UnsupportedOptionsTest {
    /** One request per option that asks for it: the option's path, and the create body's part. */
    static Stream<Arguments> requests() {
        return Stream.of(
                config("Domainname", "\"Domainname\":\"example.org\""),
                config("PortSpecs", "\"PortSpecs\":[\"80\"]"),
                config("NetworkDisabled", "\"NetworkDisabled\":true"),
                config("MacAddress", "\"MacAddress\":\"02:42:ac:11:00:02\""),
                config("StopTimeout", "\"StopTimeout\":3601"),
                host("MemorySwappiness", "\"MemorySwappiness\":10"),
                host("KernelMemory", "\"KernelMemory\":1"),
                host("KernelMemoryTCP", "\"KernelMemoryTCP\":1"),
                host("OomScoreAdj", "\"OomScoreAdj\":100"),
                host("CpuRealtimePeriod", "\"CpuRealtimePeriod\":1"),
                host("CpuRealtimeRuntime", "\"CpuRealtimeRuntime\":1"),
                host("CpusetMems", "\"CpusetMems\":\"0\""),
                host("CpuCount", "\"CpuCount\":1"),
                host("CpuPercent", "\"CpuPercent\":1"),
                host("IOMaximumIOps", "\"IOMaximumIOps\":1"),
                host("IOMaximumBandwidth", "\"IOMaximumBandwidth\":1"),
                host("BlkioWeight", "\"BlkioWeight\":100"),
                host("BlkioWeightDevice", "\"BlkioWeightDevice\":[{\"Path\":\"/dev/sda\",\"Weight\":10}]"),
                host("BlkioDeviceReadBps", "\"BlkioDeviceReadBps\":[{\"Path\":\"/dev/sda\",\"Rate\":10}]"),
                host("BlkioDeviceWriteBps", "\"BlkioDeviceWriteBps\":[{\"Path\":\"/dev/sda\",\"Rate\":10}]"),
                host("BlkioDeviceReadIOps", "\"BlkioDeviceReadIOps\":[{\"Path\":\"/dev/sda\",\"Rate\":10}]"),
                host("BlkioDeviceWriteIOps", "\"BlkioDeviceWriteIOps\":[{\"Path\":\"/dev/sda\",\"Rate\":10}]"),
                host("DeviceCgroupRules", "\"DeviceCgroupRules\":[\"c 1:3 mr\"]"),
                host("DeviceRequests", "\"DeviceRequests\":[{\"Count\":-1,\"Capabilities\":[[\"gpu\"]]}]"),
                host("DiskQuota", "\"DiskQuota\":1"),
                host("CgroupParent", "\"CgroupParent\":\"mine\""),
                host("LogConfig", "\"LogConfig\":{\"Type\":\"syslog\",\"Config\":{}}"),
                host("VolumeDriver", "\"VolumeDriver\":\"nfs\""),
                host("Annotations", "\"Annotations\":{\"a\":\"b\"}"),
                host("CgroupnsMode", "\"CgroupnsMode\":\"host\""),
                host("IpcMode", "\"IpcMode\":\"host\""),
                host("Cgroup", "\"Cgroup\":\"container:x\""),
                host("PidMode", "\"PidMode\":\"host\""),
                host("StorageOpt", "\"StorageOpt\":{\"size\":\"1G\"}"),
                host("UTSMode", "\"UTSMode\":\"host\""),
                host("UsernsMode", "\"UsernsMode\":\"host\""),
                host("Sysctls", "\"Sysctls\":{\"net.core.somaxconn\":\"10\"}"),
                host("Runtime", "\"Runtime\":\"crun\""),
                host("Isolation", "\"Isolation\":\"hyperv\""),
                host("LxcConf", "\"LxcConf\":[{\"Key\":\"lxc.x\",\"Value\":\"y\"}]"),
                endpoint("IPAMConfig", "\"IPAMConfig\":{\"IPv6Address\":\"fd00::3\"}"),
                endpoint("Links", "\"Links\":[\"l:l\"]"),
                endpoint("DriverOpts", "\"DriverOpts\":{\"a\":\"b\"}"),
                endpoint("GwPriority", "\"GwPriority\":5"),
                Arguments.of("NetworkingConfig.EndpointsConfig",
                        "{\"networkingConfig\":{\"EndpointsConfig\":{\"a\":{},\"b\":{}}}}"));
    }

    private static Arguments config(String field, String json) {
        return Arguments.of("Config." + field, "{\"config\":{\"Image\":\"busybox\"," + json + "}}");
    }

    private static Arguments host(String field, String json) {
        return Arguments.of("HostConfig." + field, "{\"hostConfig\":{" + json + "}}");
    }

    private static Arguments endpoint(String field, String json) {
        return Arguments.of("NetworkingConfig.EndpointsConfig." + field,
                "{\"networkingConfig\":{\"EndpointsConfig\":{\"default\":{" + json + "}}}}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void an_option_berth_does_not_act_on_is_refused_by_name(String field, String request) {
        assertThatThrownBy(() -> UnsupportedOptions.check(Configs.create(request)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).startsWith("berth does not support " + field + " (").endsWith(") yet");
                });
    }

    @Test
    void every_option_of_the_list_has_its_case() {
        Set<String> tested = requests().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
        Set<String> listed = UnsupportedOptions.OPTIONS.stream().map(UnsupportedOptions.Option::field).collect(Collectors.toSet());
        assertThat(tested).isEqualTo(listed);
    }

    @Test
    void the_flag_a_user_typed_is_in_the_message() {
        assertThatThrownBy(() -> UnsupportedOptions.check(Configs.create("{\"hostConfig\":{\"KernelMemory\":5}}")))
                .hasMessage("berth does not support HostConfig.KernelMemory (--kernel-memory) yet");
    }

    /** What docker CLI 28 sends for a plain `docker create busybox true`, captured from the wire. */
    @Test
    void the_cli_defaults_are_accepted() {
        String cli = "{\"config\":{\"Hostname\":\"\",\"Domainname\":\"\",\"User\":\"\",\"AttachStdin\":false,\"AttachStdout\":true,"
                + "\"AttachStderr\":true,\"Tty\":false,\"OpenStdin\":false,\"StdinOnce\":false,\"Env\":null,\"Cmd\":[\"true\"],"
                + "\"Image\":\"busybox\",\"Volumes\":{},\"WorkingDir\":\"\",\"Entrypoint\":null,\"OnBuild\":null,\"Labels\":{}},"
                + "\"hostConfig\":{\"Binds\":null,\"ContainerIDFile\":\"\",\"LogConfig\":{\"Type\":\"\",\"Config\":{}},"
                + "\"NetworkMode\":\"default\",\"PortBindings\":{},\"RestartPolicy\":{\"Name\":\"no\",\"MaximumRetryCount\":0},"
                + "\"AutoRemove\":false,\"VolumeDriver\":\"\",\"VolumesFrom\":null,\"ConsoleSize\":[0,0],\"CapAdd\":null,"
                + "\"CapDrop\":null,\"CgroupnsMode\":\"\",\"Dns\":[],\"DnsOptions\":[],\"DnsSearch\":[],\"ExtraHosts\":null,"
                + "\"GroupAdd\":null,\"IpcMode\":\"\",\"Cgroup\":\"\",\"Links\":null,\"OomScoreAdj\":0,\"PidMode\":\"\","
                + "\"Privileged\":false,\"PublishAllPorts\":false,\"ReadonlyRootfs\":false,\"SecurityOpt\":null,\"UTSMode\":\"\","
                + "\"UsernsMode\":\"\",\"ShmSize\":0,\"Isolation\":\"\",\"CpuShares\":0,\"Memory\":0,\"NanoCpus\":0,"
                + "\"CgroupParent\":\"\",\"BlkioWeight\":0,\"BlkioWeightDevice\":[],\"BlkioDeviceReadBps\":[],"
                + "\"BlkioDeviceWriteBps\":[],\"BlkioDeviceReadIOps\":[],\"BlkioDeviceWriteIOps\":[],\"CpuPeriod\":0,"
                + "\"CpuQuota\":0,\"CpuRealtimePeriod\":0,\"CpuRealtimeRuntime\":0,\"CpusetCpus\":\"\",\"CpusetMems\":\"\","
                + "\"Devices\":[],\"DeviceCgroupRules\":null,\"DeviceRequests\":null,\"MemoryReservation\":0,\"MemorySwap\":0,"
                + "\"MemorySwappiness\":-1,\"OomKillDisable\":false,\"PidsLimit\":0,\"Ulimits\":[],\"CpuCount\":0,"
                + "\"CpuPercent\":0,\"IOMaximumIOps\":0,\"IOMaximumBandwidth\":0,\"MaskedPaths\":null,\"ReadonlyPaths\":null},"
                + "\"networkingConfig\":{\"EndpointsConfig\":{\"default\":{\"IPAMConfig\":null,\"Links\":null,\"Aliases\":null,"
                + "\"MacAddress\":\"\",\"DriverOpts\":null,\"GwPriority\":0,\"NetworkID\":\"\",\"EndpointID\":\"\","
                + "\"Gateway\":\"\",\"IPAddress\":\"\",\"IPPrefixLen\":0,\"IPv6Gateway\":\"\",\"GlobalIPv6Address\":\"\","
                + "\"GlobalIPv6PrefixLen\":0,\"DNSNames\":null}}}}";
        assertThatCode(() -> UnsupportedOptions.check(Configs.create(cli))).doesNotThrowAnyException();
    }

    @Test
    void defaults_and_nulls_are_accepted() {
        String defaults = "{\"config\":{\"Image\":\"busybox\",\"Healthcheck\":{\"Test\":[\"NONE\"]},\"StopTimeout\":3600},"
                + "\"hostConfig\":{\"RestartPolicy\":{\"Name\":\"\",\"MaximumRetryCount\":null},\"LogConfig\":{\"Type\":\"json-file\","
                + "\"Config\":null},\"ShmSize\":67108864,\"PidsLimit\":-1,\"MemorySwap\":-1,\"IpcMode\":\"private\","
                + "\"Runtime\":\"runc\",\"Isolation\":\"default\",\"PortBindings\":{\"80/tcp\":[]},\"AutoRemove\":null,"
                + "\"Memory\":null,\"Dns\":[\"9.9.9.9\"],\"Privileged\":true,\"ReadonlyRootfs\":true},"
                + "\"networkingConfig\":{\"EndpointsConfig\":{\"host\":{\"IPAMConfig\":{}}}}}";
        assertThatCode(() -> UnsupportedOptions.check(Configs.create(defaults))).doesNotThrowAnyException();
    }
}
