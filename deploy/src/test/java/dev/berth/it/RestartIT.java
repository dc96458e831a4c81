package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Containers outlive berthd: after a stop or a crash of the daemon they are found again and managed as before. */
class RestartIT {
    @Test
    void containersSurviveAKilledDaemon() throws Exception {
        try (BerthDaemon berth = BerthDaemon.start()) {
            berth.loadBusybox();
            String id = berth.docker("run", "-d", "--name", "survivor", "busybox", "sh", "-c",
                    "trap 'exit 0' TERM; i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done").out();
            berth.docker("run", "-d", "--name", "finisher", "busybox", "sh", "-c", "sleep 1; exit 6").ok();
            berth.docker("create", "--name", "idle", "busybox", "true").ok();
            int pidBefore = Integer.parseInt(berth.docker("inspect", "--format", "{{.State.Pid}}", "survivor").out());

            berth.kill();
            // finisher exits while the daemon is away; its exit must not be lost.
            Thread.sleep(1500);
            berth.restart();

            assertThat(berth.docker("ps", "--format", "{{.Names}}").out()).isEqualTo("survivor");
            assertThat(berth.docker("inspect", "--format", "{{.State.Status}} {{.State.Pid}}", "survivor").out())
                    .isEqualTo("running " + pidBefore);
            assertThat(berth.docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "finisher").out())
                    .isEqualTo("exited 6");
            assertThat(berth.docker("inspect", "--format", "{{.State.Status}}", "idle").out()).isEqualTo("created");
            assertThat(berth.docker("logs", "survivor").ok()).startsWith("tick 0\n");

            // A graceful stop of the daemon keeps containers too.
            berth.stop();
            berth.restart();
            assertThat(berth.docker("ps", "-q").out()).isEqualTo(id.substring(0, 12));

            long started = System.nanoTime();
            berth.docker("stop", "survivor").ok();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(5);
            assertThat(berth.docker("inspect", "--format", "{{.State.ExitCode}}", "survivor").out()).isEqualTo("0");
            berth.docker("rm", "survivor", "finisher", "idle").ok();
            assertThat(berth.docker("ps", "-aq").out()).isEmpty();
        }
    }

    @Test
    void autoRemovedContainersThatExitedWhileTheDaemonWasDownAreRemoved() throws Exception {
        try (BerthDaemon berth = BerthDaemon.start()) {
            berth.loadBusybox();
            berth.docker("run", "-d", "--rm", "--name", "ephemeral", "busybox", "sleep", "1").ok();
            berth.kill();
            Thread.sleep(1500);
            berth.restart();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!berth.docker("ps", "-aq").out().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(berth.docker("ps", "-aq").out()).isEmpty();
        }
    }
}
