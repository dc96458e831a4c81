package dev.berth.bus.contract.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.JobCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreateContainerCodecTest {
    private static ContainerConfig config(String json) {
        return JobCodec.decode(Buffer.buffer(json), ContainerConfig.class);
    }

    private static HostConfig hostConfig(String json) {
        return JobCodec.decode(Buffer.buffer(json), HostConfig.class);
    }

    private static void assertInvalid(Runnable decode, String field, String expected) {
        assertThatThrownBy(decode::run).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains(field).contains(expected);
        });
    }

    @Test
    void docker_names_map_to_the_record() {
        HostConfig host = hostConfig("{\"NanoCpus\":1500000000,\"UTSMode\":\"host\",\"ContainerIDFile\":\"f\","
                + "\"BlkioDeviceReadIOps\":[{\"Path\":\"/dev/sda\",\"Rate\":5}],\"IOMaximumIOps\":3,\"KernelMemoryTCP\":4,"
                + "\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}]},"
                + "\"RestartPolicy\":{\"Name\":\"always\",\"MaximumRetryCount\":0}}");
        assertThat(host.nanoCpus()).isEqualTo(1_500_000_000L);
        assertThat(host.utsMode()).isEqualTo("host");
        assertThat(host.containerIdFile()).isEqualTo("f");
        assertThat(host.blkioDeviceReadIOps()).containsExactly(new HostConfig.ThrottleDevice("/dev/sda", 5L));
        assertThat(host.ioMaximumIops()).isEqualTo(3);
        assertThat(host.kernelMemoryTcp()).isEqualTo(4);
        assertThat(host.portBindings()).containsEntry("80/tcp", List.of(new HostConfig.PortBinding("", "8080")));
        assertThat(host.restartPolicyName()).isEqualTo("always");
        JsonObject encoded = JobCodec.encode(host);
        assertThat(encoded.fieldNames()).contains("NanoCpus", "UTSMode", "ContainerIDFile", "BlkioDeviceReadIOps",
                "IOMaximumIOps", "KernelMemoryTCP", "PortBindings", "RestartPolicy");
        assertThat(encoded.getJsonObject("PortBindings").getJsonArray("80/tcp").getJsonObject(0).fieldNames())
                .containsExactlyInAnyOrder("HostIp", "HostPort");
        assertThat(JobCodec.decode(encoded, HostConfig.class)).isEqualTo(host);
    }

    @Test
    void string_slices_take_a_bare_string_or_an_array() {
        assertThat(config("{\"Cmd\":\"date\"}").cmd()).containsExactly("date");
        assertThat(config("{\"Cmd\":[\"sh\",\"-c\",\"x\"],\"Entrypoint\":\"/init\",\"Shell\":[\"/bin/sh\"]}"))
                .satisfies(c -> {
                    assertThat(c.cmd()).containsExactly("sh", "-c", "x");
                    assertThat(c.entrypoint()).containsExactly("/init");
                    assertThat(c.shell()).containsExactly("/bin/sh");
                });
        assertThat(config("{\"Cmd\":null}").cmd()).isNull();
        assertInvalid(() -> config("{\"Cmd\":5}"), "Cmd", "an array");
        assertInvalid(() -> config("{\"Entrypoint\":[\"a\",1]}"), "Entrypoint", "an array");
    }

    @Test
    void a_field_of_the_wrong_type_is_named() {
        assertInvalid(() -> config("{\"Image\":123}"), "Image", "a string");
        assertInvalid(() -> config("{\"Tty\":\"yes\"}"), "Tty", "a boolean");
        assertInvalid(() -> config("{\"Env\":\"A=b\"}"), "Env", "an array");
        assertInvalid(() -> config("{\"Labels\":{\"a\":1}}"), "Labels.a", "a string");
        assertInvalid(() -> hostConfig("{\"Memory\":\"lots\"}"), "Memory", "a number");
        assertInvalid(() -> hostConfig("{\"Memory\":\"5\"}"), "Memory", "a number");
        assertInvalid(() -> hostConfig("{\"AutoRemove\":\"true\"}"), "AutoRemove", "a boolean");
        assertInvalid(() -> hostConfig("{\"RestartPolicy\":{\"MaximumRetryCount\":\"x\"}}"),
                "RestartPolicy.MaximumRetryCount", "a number");
    }

    @Test
    void explicit_nulls_are_unset() {
        HostConfig host = hostConfig("{\"AutoRemove\":null,\"Memory\":null,\"RestartPolicy\":null,\"Binds\":null,"
                + "\"LogConfig\":{\"Type\":null,\"Config\":null},\"Dns\":null}");
        assertThat(host.autoRemoveEnabled()).isFalse();
        assertThat(host.memory()).isNull();
        assertThat(host.restartPolicyName()).isEmpty();
        assertThat(host.dnsServers()).isEmpty();
        assertThat(host.effectiveNetworkMode()).isEqualTo("default");
        assertThat(JobCodec.encode(host).fieldNames()).containsExactly("LogConfig");
    }

    @Test
    void create_container_round_trips_with_its_wire_names() {
        CreateContainer create = new CreateContainer("web", config("{\"Image\":\"busybox\",\"ExposedPorts\":{\"80/tcp\":{}}}"),
                hostConfig("{\"NetworkMode\":\"host\"}"), null);
        JsonObject wire = JobCodec.encode(create);
        assertThat(wire.fieldNames()).contains("name", "config", "hostConfig", "networkingConfig");
        assertThat(wire.getJsonObject("config").getString("Image")).isEqualTo("busybox");
        assertThat(wire.getJsonObject("config").getJsonObject("ExposedPorts").getJsonObject("80/tcp")).isEmpty();
        assertThat(JobCodec.decode(wire, CreateContainer.class)).isEqualTo(create);
        assertThat(JobCodec.decode(new JsonObject(), CreateContainer.class).hostConfig()).isEqualTo(HostConfig.empty());
    }

    @Test
    void networking_config_keeps_docker_names() {
        NetworkingConfig networking = JobCodec.decode(Buffer.buffer("{\"EndpointsConfig\":{\"n\":{\"IPAMConfig\":"
                + "{\"IPv4Address\":\"10.0.0.3\"},\"Aliases\":[\"a\"],\"DNSNames\":null}}}"), NetworkingConfig.class);
        assertThat(networking.endpoints().get("n").ipamConfig().ipv4Address()).isEqualTo("10.0.0.3");
        assertThat(networking.endpoints().get("n").aliases()).containsExactly("a");
        assertThat(JobCodec.encode(networking).getJsonObject("EndpointsConfig").getJsonObject("n").fieldNames())
                .containsExactlyInAnyOrder("IPAMConfig", "Aliases");
    }

    @Test
    void list_filters_default_to_none() {
        assertThat(JobCodec.decode(new JsonObject("{\"all\":true}"), ListContainers.class).filters()).isEqualTo(Map.of());
    }
}
