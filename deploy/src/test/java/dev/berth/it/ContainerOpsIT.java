package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What users do to a running container besides exec: pause, unpause, rename, top, restart. */
class ContainerOpsIT {
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

    /** The freezer's word for the container's cgroup: v1's freezer.state, or v2's cgroup.freeze. */
    private String freezer(String id) throws Exception {
        Path v1 = Path.of("/sys/fs/cgroup/freezer" + berth.cgroupParent(), id, "freezer.state");
        if (Files.exists(v1)) {
            return Files.readString(v1).trim();
        }
        return Files.readString(Path.of("/sys/fs/cgroup" + berth.cgroupParent(), id, "cgroup.freeze")).trim().equals("1")
                ? "FROZEN" : "THAWED";
    }

    @Test
    void pauseFreezesAndUnpauseThaws() throws Exception {
        String id = berth.docker("run", "-d", "--name=ops-pause", "busybox", "sh", "-c",
                "while true; do date +%s%N > /tmp/tick; sleep 0.05; done").ok().trim();
        berth.docker("pause", "ops-pause").ok();
        assertThat(freezer(id)).isEqualTo("FROZEN");
        assertThat(inspect("ops-pause", "{{.State.Status}} {{.State.Paused}} {{.State.Running}}")).isEqualTo("paused true true");
        assertThat(berth.docker("ps", "--format", "{{.Status}}", "--filter", "name=ops-pause").ok()).endsWith("(Paused)\n");
        assertThat(berth.docker("ps", "-q", "--filter", "status=paused").ok().trim()).isEqualTo(id.substring(0, 12));

        CliResult exec = berth.docker("exec", "ops-pause", "true");
        assertThat(exec.stderr()).contains("Container " + id + " is paused, unpause the container before exec");
        assertThat(berth.docker("pause", "ops-pause").stderr()).contains("Container " + id + " is already paused");

        berth.docker("unpause", "ops-pause").ok();
        assertThat(freezer(id)).isEqualTo("THAWED");
        assertThat(inspect("ops-pause", "{{.State.Status}} {{.State.Paused}}")).isEqualTo("running false");
        assertThat(berth.docker("unpause", "ops-pause").stderr()).contains("Container " + id + " is not paused");
        String first = berth.docker("exec", "ops-pause", "cat", "/tmp/tick").ok();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (berth.docker("exec", "ops-pause", "cat", "/tmp/tick").ok().equals(first)) {
            assertThat(System.nanoTime()).as("the thawed loop ticks again").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aPausedContainerStillStopsAndIsRemoved() throws Exception {
        berth.docker("run", "-d", "--name=ops-paused-stop", "busybox", "sleep", "1000").ok();
        berth.docker("pause", "ops-paused-stop").ok();
        berth.docker("stop", "-t", "1", "ops-paused-stop").ok();
        assertThat(inspect("ops-paused-stop", "{{.State.Status}} {{.State.ExitCode}}")).isEqualTo("exited 137");
        berth.docker("run", "-d", "--name=ops-paused-rm", "busybox", "sleep", "1000").ok();
        berth.docker("pause", "ops-paused-rm").ok();
        berth.docker("rm", "-f", "ops-paused-rm").ok();
        assertThat(berth.docker("ps", "-aq", "--filter", "name=ops-paused-rm").out()).isEmpty();
        CliResult notRunning = berth.docker("pause", "ops-paused-stop");
        assertThat(notRunning.stderr()).contains("is not running");
    }

    @Test
    void renameMovesTheNameAndRefusesWhatDockerdRefuses() throws Exception {
        String id = berth.docker("run", "-d", "--name=ops-old", "busybox", "sleep", "1000").ok().trim();
        berth.docker("create", "--name=ops-taken", "busybox", "true").ok();
        berth.docker("rename", "ops-old", "ops-new").ok();
        assertThat(inspect(id, "{{.Name}}")).isEqualTo("/ops-new");
        assertThat(berth.docker("inspect", "ops-old").exitCode()).isNotZero();
        assertThat(berth.docker("rename", "ops-new", "ops-taken").stderr())
                .contains("Error when allocating new name: Conflict. The container name \"/ops-taken\" is already in use");
        assertThat(berth.docker("rename", "ops-new", "ops-new").stderr())
                .contains("Renaming a container with the same name as its current name");
        assertThat(berth.docker("rename", "ops-new", "bad/name").stderr()).contains("Invalid container name (bad/name)");
        berth.docker("run", "-d", "--name=ops-old", "busybox", "true").ok();

        berth.stop();
        berth.restart();
        assertThat(inspect(id, "{{.Name}}")).as("the new name outlives a restart of berthd").isEqualTo("/ops-new");
    }

    @Test
    void topListsTheContainersProcessesOnly() throws Exception {
        String id = berth.docker("run", "-d", "--name=ops-top", "busybox", "sh", "-c", "sleep 1001 & sleep 1002; true").ok().trim();
        String pid = inspect(id, "{{.State.Pid}}");
        long deadline = System.nanoTime() + 20_000_000_000L;
        String top;
        do {
            top = berth.docker("top", "ops-top").ok();
            assertThat(System.nanoTime()).as("both sleeps in top").isLessThan(deadline);
        } while (!top.contains("sleep 1001") || !top.contains("sleep 1002"));
        assertThat(top.lines().findFirst().orElseThrow()).startsWith("UID").contains("PID").contains("CMD");
        assertThat(top.lines().count()).isEqualTo(4);
        assertThat(top).contains(" " + pid + " ");

        JsonObject json = new JsonObject(berth.rawGet("/containers/ops-top/top?ps_args=-o%20pid,args").split("\r\n\r\n", 2)[1]);
        assertThat(json.getJsonArray("Titles")).isEqualTo(new JsonArray().add("PID").add("COMMAND"));
        JsonArray processes = json.getJsonArray("Processes");
        assertThat(processes).hasSize(3);
        assertThat(processes.getJsonArray(0).getString(1)).isEqualTo("sh -c sleep 1001 & sleep 1002; true");

        berth.docker("stop", "-t", "0", "ops-top").ok();
        assertThat(berth.docker("top", "ops-top").stderr()).contains("Container " + id + " is not running");
    }

    @Test
    void restartIsAStopAndAStart() throws Exception {
        String id = berth.docker("run", "-d", "--name=ops-restart", "busybox", "sleep", "1000").ok().trim();
        String firstPid = inspect(id, "{{.State.Pid}}");
        String firstStart = inspect(id, "{{.State.StartedAt}}");
        berth.docker("restart", "-t", "1", "ops-restart").ok();
        assertThat(inspect(id, "{{.State.Status}}")).isEqualTo("running");
        assertThat(inspect(id, "{{.State.Pid}}")).isNotEqualTo(firstPid);
        assertThat(inspect(id, "{{.State.StartedAt}}")).isNotEqualTo(firstStart);
        assertThat(inspect(id, "{{.RestartCount}}")).as("only restart policies count restarts").isEqualTo("0");

        berth.docker("stop", "-t", "0", "ops-restart").ok();
        berth.docker("restart", "ops-restart").ok();
        assertThat(inspect(id, "{{.State.Status}}")).isEqualTo("running");
        assertThat(berth.docker("restart", "no-such-container").stderr()).contains("No such container: no-such-container");
    }

    /**
     * `docker rm -f` that arrives while the container is still starting (a build cancelled while
     * its RUN container starts does this): the removal's turn comes after the start, so the
     * container runs by then, and a forced removal must kill it rather than answer "is running".
     */
    @Test
    void aForcedRemovalDuringTheStartKillsAndRemoves() throws Exception {
        java.util.concurrent.ExecutorService starts = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 8; round++) {
                String name = "ops-rm-starting-" + round;
                String id = berth.docker("create", "--name=" + name, "busybox", "sleep", "1000").ok().trim();
                java.util.concurrent.Future<String> start = starts.submit(
                        () -> berth.rawPost("/containers/" + id + "/start", "application/json", ""));
                Thread.sleep(5 + round * 5);
                String removal = berth.rawRequest("DELETE", "/containers/" + id + "?force=1", null, null);
                assertThat(removal).as("round %d: %s", round, removal).startsWith("HTTP/1.1 204");
                String started = start.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(started).as("round %d", round).matches("(?s)HTTP/1.1 (204|404|409).*");
                assertThat(berth.docker("ps", "-aq", "--filter", "name=" + name).ok()).isEmpty();
                assertThat(processesInCgroupOf(id)).as("round %d: processes left of the removed container", round).isEmpty();
            }
        } finally {
            starts.shutdownNow();
        }
    }

    /** The host's processes whose cgroup path names the container. */
    private static java.util.List<String> processesInCgroupOf(String id) throws Exception {
        java.util.List<String> found = new java.util.ArrayList<>();
        try (var entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : entries) {
                try {
                    if (Files.readString(process.resolve("cgroup")).contains(id)) {
                        found.add(process.getFileName().toString());
                    }
                } catch (java.io.IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        return found;
    }
}
