package dev.berth.exec.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecProcessSpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode containerProcess() throws Exception {
        return JSON.readTree("{\"terminal\":true,\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"sleep\",\"1000\"],"
                + "\"env\":[\"A=1\"],\"cwd\":\"/\",\"capabilities\":{\"bounding\":[\"CAP_CHOWN\"]},"
                + "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}],\"noNewPrivileges\":true,"
                + "\"consoleSize\":{\"height\":24,\"width\":80}}");
    }

    @Test
    void keepsTheContainersLimitsAndTakesTheExecsCommand() throws Exception {
        JsonNode original = containerProcess();
        ObjectNode process = ExecProcessSpec.build(original, List.of("sh", "-c", "id"), List.of("B=2"), "/tmp",
                new ProcessUser(65534, 65534, List.of(5), "/home"), false, false, null);
        assertThat(process.get("args").toString()).isEqualTo("[\"sh\",\"-c\",\"id\"]");
        assertThat(process.get("env").toString()).isEqualTo("[\"B=2\"]");
        assertThat(process.get("cwd").asText()).isEqualTo("/tmp");
        assertThat(process.get("terminal").asBoolean()).isFalse();
        assertThat(process.get("user").toString()).isEqualTo("{\"uid\":65534,\"gid\":65534,\"additionalGids\":[5]}");
        assertThat(process.get("rlimits")).isEqualTo(original.get("rlimits"));
        assertThat(process.get("noNewPrivileges").asBoolean()).isTrue();
        assertThat(process.get("capabilities")).isEqualTo(original.get("capabilities"));
        assertThat(process.has("consoleSize")).isFalse();
        assertThat(original.get("args").get(0).asText()).as("the container's spec is not changed").isEqualTo("sleep");
    }

    @Test
    void privilegedGetsEveryCapabilityOfTheDaemonAndATerminalItsSize() throws Exception {
        ObjectNode process = ExecProcessSpec.build(containerProcess(), List.of("sh"), List.of(), "/", ProcessUser.ROOT,
                true, true, List.of(40, 120));
        assertThat(process.get("capabilities").get("bounding")).hasSize(Capabilities.ofThisProcess().size());
        assertThat(process.get("consoleSize").toString()).isEqualTo("{\"height\":40,\"width\":120}");
        assertThat(process.get("terminal").asBoolean()).isTrue();
    }
}
