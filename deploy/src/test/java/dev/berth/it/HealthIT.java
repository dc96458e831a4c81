package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HEALTHCHECK with the real CLI: --health-* options, State.Health, ps's STATUS and filter, events. */
class HealthIT {
    private static BerthDaemon berth;

    @BeforeAll
    static void start() throws Exception {
        berth = BerthDaemon.start();
        berth.loadBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        if (berth != null) {
            berth.close();
        }
    }

    private static String inspect(String name, String format) throws Exception {
        return berth.docker("inspect", "--format", format, name).out();
    }

    private static void awaitHealth(String name, String status, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!inspect(name, "{{.State.Health.Status}}").equals(status) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(inspect(name, "{{.State.Health.Status}}")).as(name).isEqualTo(status);
    }

    @Test
    void aPassingCheckMakesTheContainerHealthy() throws Exception {
        String since = Long.toString(Instant.now().getEpochSecond() - 1);
        berth.docker("run", "-d", "--name", "hc-ok", "--health-cmd", "echo fine; test -d /proc", "--health-interval", "1s",
                "busybox", "sleep", "300").ok();
        assertThat(berth.docker("ps", "--filter", "name=hc-ok", "--format", "{{.Status}}").out()).endsWith("(health: starting)");
        assertThat(berth.docker("ps", "--filter", "health=starting", "--format", "{{.Names}}").out()).contains("hc-ok");
        awaitHealth("hc-ok", "healthy", 20);
        assertThat(inspect("hc-ok", "{{.State.Health.FailingStreak}} {{(index .State.Health.Log 0).ExitCode}} "
                + "{{printf \"%q\" (index .State.Health.Log 0).Output}}")).isEqualTo("0 0 \"fine\\n\"");
        assertThat(berth.docker("ps", "--filter", "name=hc-ok", "--format", "{{.Status}}").out()).endsWith("(healthy)");
        assertThat(berth.docker("ps", "--filter", "health=healthy", "--format", "{{.Names}}").out().lines()).contains("hc-ok");
        assertThat(berth.docker("ps", "--filter", "health=none", "--format", "{{.Names}}").out()).doesNotContain("hc-ok");
        String events = berth.docker("events", "--since", since, "--until", Instant.now().toString(), "--filter",
                "container=hc-ok", "--format", "{{.Action}}").ok();
        assertThat(events).contains("health_status: healthy");

        // The log keeps the last five probes, and checks stop with the container.
        Thread.sleep(6000);
        assertThat(inspect("hc-ok", "{{len .State.Health.Log}}")).isEqualTo("5");
        berth.docker("stop", "-t", "1", "hc-ok").ok();
        String lastLog = inspect("hc-ok", "{{json .State.Health.Log}}");
        Thread.sleep(2500);
        assertThat(inspect("hc-ok", "{{json .State.Health.Log}}")).as("no probes while stopped").isEqualTo(lastLog);
        assertThat(berth.docker("ps", "-a", "--filter", "name=hc-ok", "--format", "{{.Status}}").out()).startsWith("Exited");

        // They resume on the next start, starting again.
        berth.docker("start", "hc-ok").ok();
        assertThat(inspect("hc-ok", "{{.State.Health.Status}}")).isEqualTo("starting");
        awaitHealth("hc-ok", "healthy", 20);
        berth.docker("rm", "-f", "hc-ok").ok();
    }

    @Test
    void aFailingCheckTurnsUnhealthyAfterItsRetries() throws Exception {
        String since = Long.toString(Instant.now().getEpochSecond() - 1);
        berth.docker("run", "-d", "--name", "hc-bad", "--health-cmd", "echo broken >&2; exit 1", "--health-interval", "500ms",
                "--health-retries", "3", "busybox", "sleep", "300").ok();
        awaitHealth("hc-bad", "unhealthy", 20);
        String streak = inspect("hc-bad", "{{.State.Health.FailingStreak}}");
        assertThat(Integer.parseInt(streak)).isGreaterThanOrEqualTo(3);
        assertThat(inspect("hc-bad", "{{(index .State.Health.Log 0).ExitCode}} {{printf \"%q\" (index .State.Health.Log 0).Output}}"))
                .isEqualTo("1 \"broken\\n\"");
        assertThat(berth.docker("ps", "--filter", "name=hc-bad", "--format", "{{.Status}}").out()).endsWith("(unhealthy)");
        assertThat(berth.docker("ps", "--filter", "health=unhealthy", "--format", "{{.Names}}").out().lines()).contains("hc-bad");
        assertThat(berth.docker("ps", "--filter", "health=healthy", "--format", "{{.Names}}").out().lines()).doesNotContain("hc-bad");
        String events = berth.docker("events", "--since", since, "--until", Instant.now().toString(), "--filter",
                "container=hc-bad", "--format", "{{.Action}}").ok();
        assertThat(events).contains("health_status: unhealthy").doesNotContain("health_status: healthy");
        berth.docker("rm", "-f", "hc-bad").ok();
    }

    @Test
    void aSlowCheckTimesOutAndCountsAsAFailure() throws Exception {
        berth.docker("run", "-d", "--name", "hc-slow", "--health-cmd", "sleep 30", "--health-interval", "500ms",
                "--health-timeout", "1s", "--health-retries", "1", "busybox", "sleep", "300").ok();
        awaitHealth("hc-slow", "unhealthy", 20);
        assertThat(inspect("hc-slow", "{{(index .State.Health.Log 0).ExitCode}} {{(index .State.Health.Log 0).Output}}"))
                .isEqualTo("-1 Health check exceeded timeout (1s)");
        // Timed-out probes are killed, not left running: after several timeouts at most the
        // current probe runs in the container.
        Thread.sleep(3500);
        assertThat(berth.docker("top", "hc-slow").out().lines().filter(line -> line.endsWith(" sleep 30")).count())
                .isLessThanOrEqualTo(1);
        berth.docker("rm", "-f", "hc-slow").ok();
    }

    @Test
    void failuresInTheStartPeriodDoNotCount() throws Exception {
        berth.docker("run", "-d", "--name", "hc-boot", "--health-cmd", "test -f /tmp/ready", "--health-interval", "500ms",
                "--health-start-period", "30s", "--health-start-interval", "500ms", "--health-retries", "1",
                "busybox", "sh", "-c", "sleep 3; touch /tmp/ready; sleep 300").ok();
        awaitHealth("hc-boot", "healthy", 20);
        assertThat(inspect("hc-boot", "{{.State.Health.FailingStreak}}")).isEqualTo("0");
        assertThat(inspect("hc-boot", "{{(index .State.Health.Log 0).ExitCode}}")).isEqualTo("1");
        berth.docker("rm", "-f", "hc-boot").ok();
    }

    @Test
    void noHealthcheckAndPlainContainersHaveNoHealth() throws Exception {
        berth.docker("run", "-d", "--name", "hc-none", "--no-healthcheck", "busybox", "sleep", "300").ok();
        assertThat(inspect("hc-none", "{{json .State.Health}}")).isEqualTo("null");
        assertThat(berth.docker("ps", "--filter", "name=hc-none", "--format", "{{.Status}}").out()).doesNotContain("(");
        assertThat(berth.docker("ps", "--filter", "health=none", "--format", "{{.Names}}").out()).contains("hc-none");
        berth.docker("rm", "-f", "hc-none").ok();
    }

    /**
     * A probe goes through the exec helper (design.md, "exec without runc"), not a conmon and a
     * `runc exec` each time: its process's parent is the helper's sealed memory file.
     */
    @Test
    void aProbeRunsThroughTheExecHelper() throws Exception {
        berth.docker("run", "-d", "--name", "hc-helper", "--health-cmd", "sleep 2999", "--health-interval", "1s",
                "--health-timeout", "60s", "busybox", "sleep", "300").ok();
        String parent = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (parent == null && System.nanoTime() < deadline) {
            for (String line : berth.docker("top", "hc-helper").ok().split("\n")) {
                String[] columns = line.trim().split("\\s+");
                if (line.endsWith("sleep 2999") && columns.length > 2) {
                    parent = columns[2];
                }
            }
            Thread.sleep(100);
        }
        assertThat(parent).as("the probe's process in docker top").isNotNull();
        assertThat(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc", parent, "exe")).toString())
                .startsWith("/memfd:berth-exec");
        berth.docker("rm", "-f", "hc-helper").ok();
    }
}
