package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docker logs with the real CLI: streams, --tail, -t, --since, -f, TTY, long lines. */
class LogsIT {
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

    /** Runs a detached busybox container and waits for it to exit. */
    private static void runToExit(String name, String script, String... options) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "-d", "--name", name));
        args.addAll(java.util.List.of(options));
        args.addAll(java.util.List.of("busybox", "sh", "-c", script));
        berth.docker(args.toArray(new String[0])).ok();
        assertThat(berth.docker("wait", name).ok().trim()).isEqualTo("0");
    }

    @Test
    void stdoutAndStderrStaySeparate() throws Exception {
        runToExit("streams", "echo out; echo err >&2; echo out2");
        CliResult logs = berth.docker("logs", "streams");
        assertThat(logs.exitCode()).isZero();
        assertThat(logs.stdout()).isEqualTo("out\nout2\n");
        assertThat(logs.stderr()).isEqualTo("err\n");
    }

    @Test
    void detailsShowTheLabelsAndEnvTheLogOptionsName() throws Exception {
        runToExit("details", "echo hi", "--label", "tier=front", "--label", "other=x", "-e", "MODE=fast",
                "--log-opt", "labels=tier,absent", "--log-opt", "env=MODE");
        assertThat(berth.docker("logs", "--details", "details").ok()).isEqualTo("MODE=fast,tier=front hi\n");
        assertThat(berth.docker("logs", "details").ok()).isEqualTo("hi\n");
        runToExit("details-regex", "echo hi", "--label", "com.example.a=1", "--label", "b=2", "--log-opt", "labels-regex=^com\\.");
        assertThat(berth.docker("logs", "--details", "details-regex").ok()).isEqualTo("com.example.a=1 hi\n");
        runToExit("details-none", "echo hi");
        assertThat(berth.docker("logs", "--details", "details-none").ok()).isEqualTo(" hi\n");
        CliResult unknown = berth.docker("create", "--log-opt", "tag=x", "busybox", "true");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("--log-driver/--log-opt");
        // Rotated files stay plain: compress=false is what Berth does, compress=true is refused by name.
        CliResult compressed = berth.docker("create", "--log-driver", "local", "--log-opt", "compress=true", "busybox", "true");
        assertThat(compressed.exitCode()).isNotZero();
        assertThat(compressed.stderr()).contains("compress=true");
        String plain = berth.docker("create", "--log-driver", "local", "--log-opt", "compress=false", "busybox", "true").ok().trim();
        berth.docker("rm", plain).ok();
    }

    @Test
    void theNoneDriverKeepsNoLogAndDockerLogsSaysSoWhileUnknownDriversAreRefused() throws Exception {
        assertThat(berth.docker("run", "--name", "nolog", "--log-driver", "none", "busybox", "echo", "hi").ok())
                .as("a foreground run still shows the output: attach does not go through the log").isEqualTo("hi\n");
        CliResult logs = berth.docker("logs", "nolog");
        assertThat(logs.exitCode()).isNotZero();
        assertThat(logs.stderr()).contains("configured logging driver does not support reading");
        String id = berth.docker("inspect", "-f", "{{.Id}}", "nolog").ok().trim();
        assertThat(berth.dataRoot().resolve("containers").resolve(id).resolve("container.log")).doesNotExist();
        CliResult unknown = berth.docker("create", "--log-driver", "nope", "busybox", "true");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("--log-driver/--log-opt");
    }

    @Test
    void tailShowsTheLastLines() throws Exception {
        runToExit("tail", "for i in 1 2 3 4 5; do echo line $i; done");
        assertThat(berth.docker("logs", "--tail", "1", "tail").ok()).isEqualTo("line 5\n");
        assertThat(berth.docker("logs", "--tail", "3", "tail").ok()).isEqualTo("line 3\nline 4\nline 5\n");
        assertThat(berth.docker("logs", "--tail", "0", "tail").ok()).isEmpty();
        assertThat(berth.docker("logs", "--tail", "all", "tail").ok()).startsWith("line 1\n").endsWith("line 5\n");
    }

    @Test
    void timestampsPrefixEachLineInUtcWithNanoseconds() throws Exception {
        runToExit("stamped", "echo one; echo two");
        String out = berth.docker("logs", "-t", "stamped").ok();
        assertThat(out.split("\n")).hasSize(2).allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z (one|two)"));
    }

    @Test
    void sinceAndUntilFilterByTime() throws Exception {
        runToExit("window", "echo early; sleep 2; echo late");
        String stamped = berth.docker("logs", "-t", "window").ok();
        String lateTime = stamped.split("\n")[1].split(" ")[0];
        assertThat(berth.docker("logs", "--since", lateTime, "window").ok()).isEqualTo("late\n");
        assertThat(berth.docker("logs", "--until", stamped.split("\n")[0].split(" ")[0], "window").ok()).isEqualTo("early\n");
        assertThat(berth.docker("logs", "--since", "1h", "window").ok()).isEqualTo("early\nlate\n");
    }

    @Test
    void followShowsLinesAsTheyComeAndEndsWhenTheContainerExits() throws Exception {
        berth.docker("run", "-d", "--name", "follow", "busybox", "sh", "-c",
                "echo start; sleep 2; echo middle; sleep 1; echo end").ok();
        Process logs = berth.dockerProcess("logs", "-f", "follow");
        InputStream out = logs.getInputStream();
        StringBuilder seen = new StringBuilder();
        long started = System.nanoTime();
        while (!seen.toString().contains("middle\n")) {
            int b = out.read();
            assertThat(b).as("docker logs -f ended early: %s", seen).isNotNegative();
            seen.append((char) b);
        }
        assertThat(seen.toString()).isEqualTo("start\nmiddle\n");
        assertThat(logs.isAlive()).as("still following while the container runs").isTrue();
        assertThat(logs.waitFor(30, TimeUnit.SECONDS)).as("docker logs -f ends when the container exits").isTrue();
        seen.append(new String(out.readAllBytes(), StandardCharsets.UTF_8));
        assertThat(seen.toString()).isEqualTo("start\nmiddle\nend\n");
        assertThat(logs.exitValue()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(500));
    }

    @Test
    void followOfAStoppedContainerPrintsItsLogAndEnds() throws Exception {
        runToExit("stopped", "echo done");
        CliResult logs = berth.dockerWithTimeout(Duration.ofSeconds(20), "logs", "-f", "stopped");
        assertThat(logs.ok()).isEqualTo("done\n");
    }

    @Test
    void aMebibyteLineComesBackWhole() throws Exception {
        runToExit("big", "head -c 1048576 /dev/zero | tr '\\000' x; echo; echo after");
        String out = berth.docker("logs", "big").ok();
        assertThat(out).hasSize(1024 * 1024 + 1 + "after\n".length());
        assertThat(out.substring(0, 1024 * 1024)).matches("x+");
        assertThat(out).endsWith("\nafter\n");
        String stamped = berth.docker("logs", "-t", "--tail", "2", "big").ok();
        assertThat(stamped.split("\n")).hasSize(2);
        assertThat(stamped.split("\n")[0]).matches("\\S+Z x{1048576}");
    }

    @Test
    void aTtyLogIsRawAndOnStdout() throws Exception {
        runToExit("tty", "echo hi; echo there >&2", "-t");
        CliResult logs = berth.docker("logs", "tty");
        assertThat(logs.stdout()).isEqualTo("hi\r\nthere\r\n");
        assertThat(logs.stderr()).isEmpty();
    }

    @Test
    void aContainerThatNeverRanHasAnEmptyLog() throws Exception {
        berth.docker("create", "--name", "created", "busybox", "echo", "never").ok();
        assertThat(berth.docker("logs", "created").ok()).isEmpty();
    }

    @Test
    void anUnknownContainerIsAnError() throws Exception {
        CliResult logs = berth.docker("logs", "no-such-container");
        assertThat(logs.exitCode()).isNotZero();
        assertThat(logs.stderr()).contains("No such container: no-such-container");
    }
}
