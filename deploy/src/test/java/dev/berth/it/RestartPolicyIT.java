package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Restart policies with Docker's back-off, also across a restart of berthd. */
class RestartPolicyIT {
    private static BerthDaemon berth;

    @BeforeAll
    static void start() throws Exception {
        berth = BerthDaemon.start();
        berth.loadBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    @AfterEach
    void removeContainers() throws Exception {
        berth.removeAllContainers();
    }

    private String inspect(String name, String format) throws Exception {
        return berth.docker("inspect", "-f", format, name).ok().trim();
    }

    private void await(String name, String format, String expected) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        String seen;
        while (!(seen = inspect(name, format)).equals(expected)) {
            assertThat(System.nanoTime()).as(name + " " + format + " should become " + expected + ", is " + seen)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void updateChangesThePolicyTheNextExitFollows() throws Exception {
        berth.docker("run", "-d", "--name=rp-upd", "busybox", "sh", "-c", "sleep 2; exit 4").ok();
        berth.docker("update", "--restart=on-failure:1", "rp-upd").ok();
        assertThat(inspect("rp-upd", "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}"))
                .isEqualTo("on-failure 1");
        await("rp-upd", "{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}", "exited 1 4");
        assertThat(berth.docker("update", "--restart=sometimes", "rp-upd").stderr()).contains("invalid restart policy");

        berth.docker("run", "-d", "--rm", "--name=rp-rm", "busybox", "sleep", "30").ok();
        assertThat(berth.docker("update", "--restart=always", "rp-rm").stderr())
                .contains("Restart policy cannot be updated because AutoRemove is enabled for the container");
    }

    @Test
    void onFailureRestartsUpToItsCount() throws Exception {
        berth.docker("run", "-d", "--name=rp-fail", "--restart=on-failure:2", "busybox", "sh", "-c", "exit 3").ok();
        await("rp-fail", "{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}", "exited 2 3");
        Thread.sleep(1500);
        assertThat(inspect("rp-fail", "{{.State.Status}} {{.RestartCount}}")).as("no third restart").isEqualTo("exited 2");
        assertThat(inspect("rp-fail", "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}"))
                .isEqualTo("on-failure 2");

        berth.docker("run", "-d", "--name=rp-ok", "--restart=on-failure", "busybox", "true").ok();
        await("rp-ok", "{{.State.Status}}", "exited");
        Thread.sleep(500);
        assertThat(inspect("rp-ok", "{{.RestartCount}}")).isEqualTo("0");
    }

    @Test
    void alwaysRestartsWithBackOffUntilStopped() throws Exception {
        berth.docker("run", "-d", "--name=rp-always", "--restart=always", "busybox", "true").ok();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (Integer.parseInt(inspect("rp-always", "{{.RestartCount}}")) < 3) {
            assertThat(System.nanoTime()).as("three restarts").isLessThan(deadline);
            Thread.sleep(100);
        }
        berth.docker("stop", "rp-always").ok();
        String count = inspect("rp-always", "{{.RestartCount}}");
        assertThat(inspect("rp-always", "{{.State.Status}}")).isEqualTo("exited");
        Thread.sleep(2000);
        assertThat(inspect("rp-always", "{{.State.Status}} {{.RestartCount}}")).isEqualTo("exited " + count);
        berth.docker("start", "rp-always").ok();
        assertThat(Integer.parseInt(inspect("rp-always", "{{.RestartCount}}"))).as("a user's start counts again")
                .isLessThan(Integer.parseInt(count) + 1);
        berth.docker("rm", "-f", "rp-always").ok();
    }

    @Test
    void policiesHoldAcrossARestartOfBerthd() throws Exception {
        berth.docker("run", "-d", "--name=rp-unless", "--restart=unless-stopped", "busybox", "sleep", "1000").ok();
        berth.docker("run", "-d", "--name=rp-always-stopped", "--restart=always", "busybox", "sleep", "1000").ok();
        berth.docker("run", "-d", "--name=rp-died", "--restart=always", "busybox", "sleep", "1000").ok();
        berth.docker("run", "-d", "--name=rp-none", "busybox", "sleep", "1000").ok();
        berth.docker("stop", "-t", "0", "rp-unless").ok();
        berth.docker("stop", "-t", "0", "rp-always-stopped").ok();
        String diedPid = inspect("rp-died", "{{.State.Pid}}");

        berth.kill();
        berth.shell("kill -KILL " + diedPid).ok();
        berth.restart();

        await("rp-died", "{{.State.Status}}", "running");
        assertThat(inspect("rp-died", "{{.State.Pid}}")).isNotEqualTo(diedPid);
        assertThat(inspect("rp-died", "{{.RestartCount}}")).isEqualTo("1");
        await("rp-always-stopped", "{{.State.Status}}", "running");
        assertThat(inspect("rp-unless", "{{.State.Status}}")).isEqualTo("exited");
        assertThat(inspect("rp-none", "{{.State.Status}}")).isEqualTo("running");
    }
}
