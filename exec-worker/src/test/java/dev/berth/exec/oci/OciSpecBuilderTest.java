package dev.berth.exec.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OciSpecBuilderTest {
    private static RuntimeSpec spec(boolean privileged, Path netns) {
        return spec(privileged, netns, List.of());
    }

    private static RuntimeSpec spec(boolean privileged, Path netns, List<RuntimeSpec.Mount> mounts) {
        return new RuntimeSpec(List.of("sh", "-c", "true"), List.of("PATH=/bin", "HOSTNAME=abc"), "/work",
                new ProcessUser(1000, 1000, List.of(10), "/home"), false, "abc", Path.of("/rootfs"), false, privileged,
                "/berth/abc", netns, false,
                List.of(new RuntimeSpec.HostFile(Path.of("/state/hosts"), "/etc/hosts", false)), 4096, mounts,
                SecurityOptions.resolve(dev.berth.bus.JobCodec.decode(new JsonObject("{\"Privileged\":" + privileged + "}"),
                        dev.berth.bus.contract.container.HostConfig.class),
                        Capabilities.ofThisProcess(), null), List.of());
    }

    @Test
    void dockersDefaults() {
        JsonObject config = new JsonObject(OciSpecBuilder.build(spec(false, Path.of("/run/netns/x"))).toString());
        JsonObject process = config.getJsonObject("process");
        assertThat(process.getJsonArray("args")).containsExactly("sh", "-c", "true");
        assertThat(process.getString("cwd")).isEqualTo("/work");
        assertThat(process.getJsonObject("user").getInteger("uid")).isEqualTo(1000);
        assertThat(process.getJsonObject("user").getJsonArray("additionalGids")).containsExactly(10);
        assertThat(process.getJsonObject("capabilities").getJsonArray("bounding")).hasSize(14).contains("CAP_NET_BIND_SERVICE")
                .doesNotContain("CAP_SYS_ADMIN");
        assertThat(process.getJsonArray("rlimits").getJsonObject(0).getLong("hard")).isEqualTo(4096);
        JsonObject linux = config.getJsonObject("linux");
        assertThat(linux.getString("cgroupsPath")).isEqualTo("/berth/abc");
        assertThat(linux.getJsonArray("maskedPaths")).contains("/proc/kcore", "/sys/firmware");
        assertThat(linux.getJsonArray("readonlyPaths")).contains("/proc/sys");
        JsonArray namespaces = linux.getJsonArray("namespaces");
        assertThat(namespaces.stream().map(n -> ((JsonObject) n).getString("type")))
                .containsExactlyInAnyOrder("pid", "ipc", "uts", "mount", "network");
        assertThat(namespaces.stream().filter(n -> "network".equals(((JsonObject) n).getString("type")))
                .map(n -> ((JsonObject) n).getString("path"))).containsExactly("/run/netns/x");
        JsonArray devices = linux.getJsonObject("resources").getJsonArray("devices");
        assertThat(devices.getJsonObject(0).getBoolean("allow")).isFalse();
        assertThat(config.getJsonArray("mounts").stream().map(m -> ((JsonObject) m).getString("destination")))
                .contains("/proc", "/dev", "/dev/pts", "/sys", "/dev/shm", "/etc/hosts");
        assertThat(config.getJsonArray("mounts").stream().map(m -> ((JsonObject) m).getString("destination"))
                .filter(d -> !d.equals("/etc/hosts")))
                .as("docker cp hides the content of these").containsExactlyInAnyOrderElementsOf(OciSpecBuilder.STANDARD_DESTINATIONS);
        assertThat(linux.getJsonObject("sysctl").getString("net.ipv4.ip_unprivileged_port_start")).isEqualTo("0");
    }

    @Test
    void hostNetworkHasNoNetworkNamespaceOrNetworkSysctls() {
        JsonObject linux = new JsonObject(OciSpecBuilder.build(spec(false, null)).toString()).getJsonObject("linux");
        assertThat(linux.getJsonArray("namespaces").stream().map(n -> ((JsonObject) n).getString("type")))
                .doesNotContain("network");
        assertThat(linux.containsKey("sysctl")).isFalse();
    }

    @Test
    void privilegedGetsEveryCapabilityAndNoMasks() {
        JsonObject config = new JsonObject(OciSpecBuilder.build(spec(true, null)).toString());
        assertThat(config.getJsonObject("process").getJsonObject("capabilities").getJsonArray("bounding"))
                .contains("CAP_SYS_ADMIN", "CAP_NET_ADMIN");
        assertThat(config.getJsonObject("linux").containsKey("maskedPaths")).isFalse();
        assertThat(config.getJsonObject("linux").getJsonObject("resources").getJsonArray("devices").getJsonObject(0)
                .getBoolean("allow")).isTrue();
    }

    @Test
    void userMountsReplaceStandardOnesAndComeParentsFirst() {
        JsonObject config = new JsonObject(OciSpecBuilder.build(spec(false, null, List.of(
                new RuntimeSpec.Mount("/data/logs", "bind", "/srv/logs", List.of("rbind", "rprivate", "ro")),
                new RuntimeSpec.Mount("/data", "bind", "/srv/data", List.of("rbind", "rprivate")),
                new RuntimeSpec.Mount("/dev/shm", "tmpfs", "tmpfs", List.of("noexec", "size=1m"))))).toString());
        List<JsonObject> mounts = config.getJsonArray("mounts").stream().map(m -> (JsonObject) m).toList();
        assertThat(mounts.stream().filter(m -> m.getString("destination").equals("/dev/shm")))
                .singleElement().satisfies(m -> assertThat(m.getJsonArray("options")).containsExactly("noexec", "size=1m"));
        List<String> destinations = mounts.stream().map(m -> m.getString("destination")).toList();
        assertThat(destinations.indexOf("/data")).isLessThan(destinations.indexOf("/data/logs"));
        assertThat(mounts.stream().filter(m -> m.getString("destination").equals("/data/logs")))
                .singleElement().satisfies(m -> {
                    assertThat(m.getString("source")).isEqualTo("/srv/logs");
                    assertThat(m.getJsonArray("options")).contains("ro");
                });
    }
}
