package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The container commands of the walking skeleton, with the real docker CLI. */
class ContainerIT {
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

    @Test
    void runPrintsOutputAndRemovesTheContainer() throws Exception {
        CliResult run = berth.docker("run", "--rm", "busybox", "echo", "hello", "world");
        assertThat(run.ok()).isEqualTo("hello world\n");
        assertThat(berth.docker("ps", "-aq").out()).isEmpty();
    }

    @Test
    void exitCodesPropagate() throws Exception {
        assertThat(berth.docker("run", "--rm", "busybox", "sh", "-c", "exit 7").exitCode()).isEqualTo(7);
        assertThat(berth.docker("run", "--rm", "busybox", "false").exitCode()).isEqualTo(1);
        CliResult missing = berth.docker("run", "--rm", "busybox", "no-such-command");
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.stderr()).contains("executable file not found");
        assertThat(berth.docker("ps", "-aq").out()).isEmpty();
    }

    @Test
    void stdoutAndStderrStaySeparate() throws Exception {
        CliResult run = berth.docker("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2");
        assertThat(run.stdout()).isEqualTo("out\n");
        assertThat(run.stderr()).isEqualTo("err\n");
    }

    @Test
    void environmentWorkingDirUserAndEntrypoint() throws Exception {
        String out = berth.docker("run", "--rm", "-e", "FOO=bar", "-w", "/tmp/work", "-u", "nobody", "busybox",
                "sh", "-c", "echo $FOO $(pwd) $(id -u) $HOSTNAME").ok();
        String[] fields = out.trim().split(" ");
        assertThat(fields[0]).isEqualTo("bar");
        assertThat(fields[1]).isEqualTo("/tmp/work");
        assertThat(fields[2]).isEqualTo("65534");
        assertThat(fields[3]).hasSize(12);
        assertThat(berth.docker("run", "--rm", "--entrypoint", "echo", "busybox", "via", "entrypoint").ok())
                .isEqualTo("via entrypoint\n");
        assertThat(berth.docker("run", "--rm", "-u", "1234:5678", "busybox", "id").ok()).contains("uid=1234").contains("gid=5678");
    }

    @Test
    void pipedStdinReachesTheContainerAndEnds() throws Exception {
        CliResult run = berth.dockerWithInput("line one\nline two\n".getBytes(), "run", "-i", "--rm", "busybox", "wc", "-l");
        assertThat(run.ok().trim()).isEqualTo("2");
        byte[] big = "x".repeat(1 << 20).getBytes();
        assertThat(berth.dockerWithInput(big, "run", "-i", "--rm", "busybox", "wc", "-c").ok().trim()).isEqualTo(String.valueOf(1 << 20));
    }

    @Test
    void detachedContainersAreListedInspectedLoggedStoppedAndRemoved() throws Exception {
        String id = berth.docker("run", "-d", "--name", "ticker", "--label", "team=berth", "busybox",
                "sh", "-c", "trap 'echo bye; exit 0' TERM; echo started; while true; do sleep 0.1; done").out();
        assertThat(id).matches("[0-9a-f]{64}");
        awaitLog("ticker", "started");

        assertThat(berth.docker("ps", "--format", "{{.Names}} {{.Status}}").out()).startsWith("ticker Up");
        assertThat(berth.docker("ps", "-q").out()).isEqualTo(id.substring(0, 12));
        assertThat(berth.docker("ps", "-q", "--filter", "label=team=berth").out()).isEqualTo(id.substring(0, 12));
        assertThat(berth.docker("ps", "-q", "--filter", "label=team=other").out()).isEmpty();
        assertThat(berth.docker("ps", "-q", "--filter", "name=tick").out()).isEqualTo(id.substring(0, 12));
        assertThat(berth.docker("ps", "-q", "--filter", "status=exited").out()).isEmpty();
        assertThat(berth.docker("ps", "-q", "--filter", "ancestor=busybox").out()).isEqualTo(id.substring(0, 12));
        assertThat(berth.docker("ps", "-q", "--filter", "id=" + id.substring(0, 5)).out()).isEqualTo(id.substring(0, 12));

        String state = berth.docker("inspect", "--format",
                "{{.State.Status}} {{.State.Running}} {{.State.Pid}} {{.Name}} {{.Config.Labels.team}} {{.HostConfig.AutoRemove}}",
                "ticker").out();
        String[] fields = state.split(" ");
        assertThat(fields[0]).isEqualTo("running");
        assertThat(fields[1]).isEqualTo("true");
        assertThat(Integer.parseInt(fields[2])).isPositive();
        assertThat(fields[3]).isEqualTo("/ticker");
        assertThat(fields[4]).isEqualTo("berth");
        assertThat(fields[5]).isEqualTo("false");
        assertThat(berth.docker("inspect", "--format", "{{.Image}}", id.substring(0, 8)).out()).startsWith("sha256:");

        long started = System.nanoTime();
        berth.docker("stop", "ticker").ok();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(5);
        assertThat(berth.docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "ticker").out()).isEqualTo("exited 0");
        assertThat(berth.docker("inspect", "--format", "{{.State.FinishedAt}}", "ticker").out()).doesNotStartWith("0001");
        assertThat(berth.docker("logs", "ticker").ok()).isEqualTo("started\nbye\n");
        assertThat(berth.docker("ps", "-q").out()).isEmpty();
        assertThat(berth.docker("ps", "-aq", "--filter", "status=exited").out()).isEqualTo(id.substring(0, 12));
        assertThat(berth.docker("stop", "ticker").exitCode()).isZero();

        berth.docker("rm", "ticker").ok();
        CliResult gone = berth.docker("inspect", "ticker");
        assertThat(gone.exitCode()).isNotZero();
        assertThat(gone.stderr()).contains("No such object: ticker");
    }

    @Test
    void stopKillsAContainerThatIgnoresSigtermAfterTheTimeout() throws Exception {
        berth.docker("run", "-d", "--name", "stubborn", "busybox", "sleep", "300").ok();
        long started = System.nanoTime();
        berth.docker("stop", "-t", "1", "stubborn").ok();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(900L, 8000L);
        assertThat(berth.docker("inspect", "--format", "{{.State.ExitCode}}", "stubborn").out()).isEqualTo("137");
    }

    @Test
    void killSendsTheChosenSignal() throws Exception {
        berth.docker("run", "-d", "--name", "trapper", "busybox", "sh", "-c",
                "trap 'echo got usr1; exit 3' USR1; echo ready; while true; do sleep 0.1; done").ok();
        awaitLog("trapper", "ready");
        berth.docker("kill", "-s", "USR1", "trapper").ok();
        assertThat(berth.docker("wait", "trapper").ok().trim()).isEqualTo("3");
        assertThat(berth.docker("logs", "trapper").ok()).contains("got usr1");
        CliResult notRunning = berth.docker("kill", "trapper");
        assertThat(notRunning.exitCode()).isNotZero();
        assertThat(notRunning.stderr()).contains("is not running");
        CliResult badSignal = berth.docker("run", "-d", "--name", "victim", "busybox", "sleep", "100");
        badSignal.ok();
        assertThat(berth.docker("kill", "-s", "NOPE", "victim").stderr()).contains("Invalid signal: NOPE");
        berth.docker("kill", "victim").ok();
        assertThat(berth.docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "victim").out()).isEqualTo("exited 137");
    }

    @Test
    void createThenStartAttached() throws Exception {
        String id = berth.docker("create", "--name", "later", "busybox", "sh", "-c", "echo from create; exit 4").out();
        assertThat(berth.docker("ps", "-a", "--format", "{{.Status}}", "--filter", "name=later").out()).isEqualTo("Created");
        CliResult start = berth.docker("start", "-a", "later");
        assertThat(start.stdout()).isEqualTo("from create\n");
        assertThat(start.exitCode()).isEqualTo(4);
        assertThat(berth.docker("inspect", "--format", "{{.State.ExitCode}}", id).out()).isEqualTo("4");
        // A stopped container starts again, appending to the same log.
        berth.docker("start", "-a", "later");
        assertThat(berth.docker("logs", "later").ok()).isEqualTo("from create\nfrom create\n");
    }

    @Test
    void logsFollowEndsWhenTheContainerExits() throws Exception {
        berth.docker("run", "-d", "--name", "counter", "busybox", "sh", "-c",
                "for i in 1 2 3; do echo line $i; sleep 0.3; done").ok();
        CliResult follow = berth.docker("logs", "-f", "counter");
        assertThat(follow.ok()).isEqualTo("line 1\nline 2\nline 3\n");
        assertThat(berth.docker("logs", "--tail", "1", "counter").ok()).isEqualTo("line 3\n");
        assertThat(berth.docker("logs", "-t", "counter").ok())
                .matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z line 1\n.*");
    }

    @Test
    void removingARunningContainerNeedsForce() throws Exception {
        berth.docker("run", "-d", "--name", "busy", "busybox", "sleep", "300").ok();
        CliResult refused = berth.docker("rm", "busy");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("cannot remove container \"/busy\": container is running");
        berth.docker("rm", "-f", "busy").ok();
        assertThat(berth.docker("ps", "-aq").out()).isEmpty();
    }

    @Test
    void namesAreCheckedAndUnique() throws Exception {
        berth.docker("create", "--name", "taken", "busybox", "true").ok();
        CliResult conflict = berth.docker("create", "--name", "taken", "busybox", "true");
        assertThat(conflict.exitCode()).isNotZero();
        assertThat(conflict.stderr()).contains("Conflict. The container name \"/taken\" is already in use by container");
        CliResult invalid = berth.docker("create", "--name", "bad name!", "busybox", "true");
        assertThat(invalid.exitCode()).isNotZero();
        assertThat(invalid.stderr()).contains("Invalid container name (bad name!)");
        assertThat(berth.docker("ps", "-a", "--format", "{{.Names}}").out()).isEqualTo("taken");
    }

    @Test
    void unknownThingsGetDockersNotFoundMessages() throws Exception {
        CliResult image = berth.docker("run", "--rm", "no-such-image");
        assertThat(image.exitCode()).isNotZero();
        assertThat(image.stderr()).contains("Unable to find image 'no-such-image:latest' locally");
        for (List<String> command : List.of(List.of("start", "ghost"), List.of("stop", "ghost"), List.of("logs", "ghost"),
                List.of("rm", "ghost"), List.of("wait", "ghost"), List.of("kill", "ghost"))) {
            CliResult result = berth.docker(command.toArray(new String[0]));
            assertThat(result.exitCode()).as(command.toString()).isNotZero();
            assertThat(result.stderr()).as(command.toString()).contains("No such container: ghost");
        }
    }

    @Test
    void malformedRequestsAreRefusedWithJsonErrors() throws Exception {
        String response = berth.rawPost("/v1.51/containers/create", "application/json", "{not json");
        assertThat(response).startsWith("HTTP/1.1 400").contains("Content-Type: application/json").contains("invalid JSON");
        assertThat(berth.rawPost("/v1.51/containers/create", "application/json", "[1,2]")).startsWith("HTTP/1.1 400");
        assertThat(berth.rawPost("/v1.51/containers/create", "application/json", "{\"Image\":\"busybox\",\"Env\":5}"))
                .startsWith("HTTP/1.1 400");
        assertThat(berth.docker("ps", "-aq").out()).isEmpty();
    }

    @Test
    void waitReturnsTheExitCode() throws Exception {
        berth.docker("run", "-d", "--name", "short", "busybox", "sh", "-c", "sleep 0.5; exit 5").ok();
        assertThat(berth.docker("wait", "short").ok().trim()).isEqualTo("5");
        assertThat(berth.docker("wait", "short").ok().trim()).isEqualTo("5");
    }

    @Test
    void networkModesPrivilegedAndReadOnly() throws Exception {
        assertThat(berth.docker("run", "--rm", "--network", "none", "busybox", "ip", "-o", "link").ok())
                .contains("lo:").doesNotContain("eth0");
        // The default bridge: loopback and eth0.
        assertThat(berth.docker("run", "--rm", "busybox", "sh", "-c", "ip -o link | wc -l").ok().trim()).isEqualTo("2");
        String hostLinks = berth.docker("run", "--rm", "--network", "host", "busybox", "sh", "-c", "ip -o link | wc -l").ok().trim();
        assertThat(Integer.parseInt(hostLinks)).isGreaterThan(1);
        assertThat(berth.docker("run", "--rm", "--network", "host", "busybox", "hostname").ok().trim())
                .isEqualTo(dev.berth.host.HostFacts.hostname());
        String plain = berth.docker("run", "--rm", "busybox", "grep", "CapEff", "/proc/self/status").ok();
        String privileged = berth.docker("run", "--rm", "--privileged", "busybox", "grep", "CapEff", "/proc/self/status").ok();
        assertThat(plain).contains("00000000a80425fb");
        assertThat(privileged).isNotEqualTo(plain);
        CliResult readOnly = berth.docker("run", "--rm", "--read-only", "busybox", "touch", "/x");
        assertThat(readOnly.exitCode()).isEqualTo(1);
        assertThat(readOnly.stderr()).contains("Read-only file system");
        CliResult unknownNetwork = berth.docker("run", "--rm", "--network", "nosuchnet", "busybox", "true");
        assertThat(unknownNetwork.exitCode()).isNotZero();
        assertThat(unknownNetwork.stderr()).contains("network nosuchnet not found").doesNotContain("Unable to find image");
    }

    @Test
    void restartRunsTheContainerAgain() throws Exception {
        berth.docker("run", "-d", "--name", "again", "busybox", "sh", "-c", "echo run; sleep 100").ok();
        awaitLog("again", "run");
        berth.docker("restart", "-t", "1", "again").ok();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!berth.docker("logs", "again").stdout().equals("run\nrun\n") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(berth.docker("logs", "again").ok()).isEqualTo("run\nrun\n");
        assertThat(berth.docker("inspect", "--format", "{{.State.Running}}", "again").out()).isEqualTo("true");
    }

    @Test
    void attachToARunningContainerSeesNewOutputAndItsExitCode() throws Exception {
        berth.docker("run", "-d", "--name", "talker", "busybox", "sh", "-c",
                "sleep 1; for i in 1 2 3; do echo n$i; sleep 0.2; done; exit 9").ok();
        CliResult attach = berth.docker("attach", "talker");
        assertThat(attach.stdout()).isEqualTo("n1\nn2\nn3\n");
        assertThat(attach.exitCode()).isEqualTo(9);
    }

    @Test
    void ttyContainersGetATerminal() throws Exception {
        CliResult tty = berth.shell("script -qec \"" + BerthDaemon.DOCKER
                + " run -t --rm busybox sh -c 'tty; exit 4'\" /dev/null < /dev/null");
        assertThat(tty.exitCode()).isEqualTo(4);
        assertThat(tty.stdout()).contains("/dev/pts/0");
    }

    private static void awaitLog(String container, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!berth.docker("logs", container).stdout().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(container + " never logged " + text);
            }
            Thread.sleep(50);
        }
    }
}
