package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many stops that wait hold no threads: while 40 `docker stop -t 60` calls wait for containers
 * that ignore SIGTERM, `docker ps`, `docker inspect` and a new `docker run` are answered, and each
 * stop still ends its container (here through `docker kill`, which goes ahead of them).
 */
class SlowStopsIT {
    private static final int CONTAINERS = 40;

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

    @Test
    void queriesAndStartsAreAnsweredWhileStopsWait() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CONTAINERS; i++) {
            ids.add(berth.docker("run", "-d", "busybox", "sh", "-c", "trap '' TERM; while true; do sleep 1; done").ok().strip());
        }
        List<Process> stops = new ArrayList<>();
        for (String id : ids) {
            stops.add(berth.dockerProcess("stop", "-t", "60", id));
        }
        Thread.sleep(2_000);
        assertThat(stops).as("the stops are still waiting for their containers").allMatch(Process::isAlive);

        assertThat(berth.docker("ps", "-q").ok().lines().count()).isEqualTo(CONTAINERS);
        assertThat(berth.docker("inspect", "-f", "{{.State.Running}}", ids.get(0)).ok().strip()).isEqualTo("true");
        assertThat(berth.docker("run", "--rm", "busybox", "echo", "still answering").ok()).isEqualTo("still answering\n");
        assertThat(stops).as("the stops were still waiting while the queries were answered").allMatch(Process::isAlive);

        for (String id : ids) {
            berth.docker("kill", id).ok();
        }
        for (Process stop : stops) {
            assertThat(stop.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(stop.exitValue()).isZero();
        }
        assertThat(berth.docker("ps", "-q").ok()).isEmpty();
        berth.shell(BerthDaemon.DOCKER + " rm " + String.join(" ", ids)).ok();
    }
}
