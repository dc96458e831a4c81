package dev.berth.api.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.container.ContainerConfig;
import dev.berth.bus.contract.container.ContainerState;
import dev.berth.bus.contract.container.ContainerView;
import dev.berth.bus.contract.container.HostConfig;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerJsonTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final String ZERO = ContainerState.ZERO_TIME;

    private static ContainerView view(String status, String startedAt, String finishedAt, int exitCode, String hostConfig) {
        ContainerConfig config = JobCodec.decode(new JsonObject("{\"Image\":\"busybox\",\"Tty\":false,\"Cmd\":null,"
                + "\"Labels\":{\"tier\":\"front\"},\"ExposedPorts\":{\"80/tcp\":{}}}"), ContainerConfig.class);
        ContainerState state = new ContainerState(status, "running".equals(status), false, false, false, false, 42, exitCode,
                "", startedAt, finishedAt, null);
        return new ContainerView("a".repeat(64), "web", "2026-11-28T11:00:00Z", "sha256:" + "b".repeat(64), "busybox", "sh",
                List.of("-c", "echo hi"), config, JobCodec.decode(new JsonObject(hostConfig), HostConfig.class), null, state, 0,
                "/s/container.log", "/s/hostname", "/s/hosts", "/s/resolv.conf", "overlay2", null, null, List.of(), List.of());
    }

    private static ContainerView running() {
        return view("running", "2026-11-28T11:59:55Z", ZERO, 0, "{\"AutoRemove\":true}");
    }

    @Test
    void statusTextsAsPsPrintsThem() {
        assertThat(ContainerJson.statusText(running().state(), NOW)).isEqualTo("Up 5 seconds");
        for (String[] health : new String[][] {{"starting", "Up 5 seconds (health: starting)"}, {"healthy", "Up 5 seconds (healthy)"},
                {"unhealthy", "Up 5 seconds (unhealthy)"}}) {
            ContainerState s = running().state();
            ContainerState withHealth = new ContainerState(s.status(), s.running(), s.paused(), s.restarting(), s.oomKilled(), s.dead(),
                    s.pid(), s.exitCode(), s.error(), s.startedAt(), s.finishedAt(),
                    new dev.berth.bus.contract.container.ContainerHealth(health[0], 0, List.of()));
            assertThat(ContainerJson.statusText(withHealth, NOW)).isEqualTo(health[1]);
        }
        assertThat(ContainerJson.statusText(view("exited", "2026-11-28T10:00:00Z", "2026-11-28T11:58:30Z", 3, "{}").state(), NOW))
                .isEqualTo("Exited (3) About a minute ago");
        assertThat(ContainerJson.statusText(view("created", ZERO, ZERO, 0, "{}").state(), NOW)).isEqualTo("Created");
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
        JsonObject inspect = ContainerJson.inspect(running());
        assertThat(inspect.getString("Name")).isEqualTo("/web");
        assertThat(inspect.getString("Path")).isEqualTo("sh");
        assertThat(inspect.getJsonObject("State").getBoolean("Paused")).isFalse();
        assertThat(inspect.getJsonObject("State").getInteger("Pid")).isEqualTo(42);
        assertThat(inspect.getJsonObject("State").getString("FinishedAt")).isEqualTo(ZERO);
        assertThat(inspect.getJsonObject("HostConfig").getBoolean("AutoRemove")).isTrue();
        assertThat(inspect.getJsonObject("HostConfig").getString("NetworkMode")).isEqualTo("default");
        assertThat(inspect.getJsonObject("HostConfig").getJsonObject("RestartPolicy").getString("Name")).isEqualTo("no");
        assertThat(inspect.getJsonObject("HostConfig").getLong("Memory")).isZero();
        JsonObject ports = inspect.getJsonObject("NetworkSettings").getJsonObject("Ports");
        assertThat(ports.containsKey("80/tcp")).isTrue();
        assertThat(ports.getValue("80/tcp")).isNull();
        assertThat(inspect.getJsonObject("NetworkSettings").getJsonObject("Networks").containsKey("bridge")).isTrue();
        assertThat(inspect.getJsonObject("Config").containsKey("Cmd")).isTrue();
        assertThat(inspect.getJsonObject("Config").getValue("Cmd")).isNull();
        assertThat(inspect.getJsonObject("Config").getJsonObject("Labels").getString("tier")).isEqualTo("front");
        assertThat(inspect.getJsonObject("Config").getJsonObject("ExposedPorts").getJsonObject("80/tcp")).isEmpty();
    }

    @Test
    void psItemsHaveTheFieldsTheCliPrints() {
        JsonObject summary = ContainerJson.summary(running(), NOW);
        assertThat(summary.getJsonArray("Names")).containsExactly("/web");
        assertThat(summary.getString("Image")).isEqualTo("busybox");
        assertThat(summary.getString("Command")).isEqualTo("sh -c echo hi");
        assertThat(summary.getLong("Created")).isEqualTo(Instant.parse("2026-11-28T11:00:00Z").getEpochSecond());
        assertThat(summary.getString("Status")).isEqualTo("Up 5 seconds");
        assertThat(summary.getJsonObject("Labels").getString("tier")).isEqualTo("front");
        assertThat(summary.getJsonObject("HostConfig").getString("NetworkMode")).isEqualTo("default");
        JsonObject host = ContainerJson.summary(view("running", "2026-11-28T11:59:55Z", ZERO, 0, "{\"NetworkMode\":\"host\"}"), NOW);
        assertThat(host.getJsonObject("NetworkSettings").getJsonObject("Networks").fieldNames()).containsExactly("host");
    }
}
