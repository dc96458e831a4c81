package dev.berth.api.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.router.ApiVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContainerJsonTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private static JsonObject view(String status, String startedAt, String finishedAt, int exitCode) {
        return new JsonObject()
                .put("id", "a".repeat(64)).put("name", "web").put("created", "2026-11-28T11:00:00Z")
                .put("image", "sha256:" + "b".repeat(64)).put("imageRef", "busybox")
                .put("path", "sh").put("args", new JsonArray().add("-c").add("echo hi"))
                .put("config", new JsonObject().put("Tty", false).put("Cmd", (Object) null)
                        .put("ExposedPorts", new JsonObject().put("80/tcp", new JsonObject())))
                .put("hostConfig", new JsonObject().put("NetworkMode", "default").put("AutoRemove", true))
                .put("state", new JsonObject().put("status", status).put("running", "running".equals(status))
                        .put("startedAt", startedAt).put("finishedAt", finishedAt).put("exitCode", exitCode).put("pid", 42));
    }

    @Test
    void statusTextsAsPsPrintsThem() {
        assertThat(ContainerJson.statusText(view("running", "2026-11-28T11:59:55Z", "0001-01-01T00:00:00Z", 0)
                .getJsonObject("state"), NOW)).isEqualTo("Up 5 seconds");
        assertThat(ContainerJson.statusText(view("exited", "2026-11-28T10:00:00Z", "2026-11-28T11:58:30Z", 3)
                .getJsonObject("state"), NOW)).isEqualTo("Exited (3) About a minute ago");
        assertThat(ContainerJson.statusText(view("created", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z", 0)
                .getJsonObject("state"), NOW)).isEqualTo("Created");
    }

    @Test
    void humanDurationsMatchDocker() {
        assertThat(HumanDuration.of(Duration.ofMillis(500))).isEqualTo("Less than a second");
        assertThat(HumanDuration.of(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(HumanDuration.of(Duration.ofSeconds(59))).isEqualTo("59 seconds");
        assertThat(HumanDuration.of(Duration.ofSeconds(119))).isEqualTo("About a minute");
        assertThat(HumanDuration.of(Duration.ofMinutes(59))).isEqualTo("59 minutes");
        assertThat(HumanDuration.of(Duration.ofMinutes(70))).isEqualTo("About an hour");
        assertThat(HumanDuration.of(Duration.ofHours(47))).isEqualTo("47 hours");
        assertThat(HumanDuration.of(Duration.ofDays(3))).isEqualTo("3 days");
        assertThat(HumanDuration.of(Duration.ofDays(20))).isEqualTo("2 weeks");
        assertThat(HumanDuration.of(Duration.ofDays(90))).isEqualTo("3 months");
        assertThat(HumanDuration.of(Duration.ofDays(800))).isEqualTo("2 years");
    }

    @Test
    void inspectHasTheFieldsClientsRead() {
        JsonObject inspect = ContainerJson.inspect(view("running", "2026-11-28T11:59:55Z", "0001-01-01T00:00:00Z", 0),
                ApiVersion.MAX);
        assertThat(inspect.getString("Name")).isEqualTo("/web");
        assertThat(inspect.getJsonObject("State").getBoolean("Paused")).isFalse();
        assertThat(inspect.getJsonObject("State").getString("FinishedAt")).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(inspect.getJsonObject("HostConfig").getBoolean("AutoRemove")).isTrue();
        assertThat(inspect.getJsonObject("HostConfig").getJsonObject("RestartPolicy").getString("Name")).isEqualTo("no");
        JsonObject ports = inspect.getJsonObject("NetworkSettings").getJsonObject("Ports");
        assertThat(ports.containsKey("80/tcp")).isTrue();
        assertThat(ports.getValue("80/tcp")).isNull();
        assertThat(inspect.getJsonObject("NetworkSettings").getJsonObject("Networks").containsKey("bridge")).isTrue();
        assertThat(inspect.getJsonObject("Config").getValue("Cmd")).isNull();
        JsonObject summary = ContainerJson.summary(view("running", "2026-11-28T11:59:55Z", "0001-01-01T00:00:00Z", 0), NOW);
        assertThat(summary.getJsonArray("Names")).containsExactly("/web");
        assertThat(summary.getString("Command")).isEqualTo("sh -c echo hi");
        assertThat(summary.getLong("Created")).isEqualTo(Instant.parse("2026-11-28T11:00:00Z").getEpochSecond());
    }
}
