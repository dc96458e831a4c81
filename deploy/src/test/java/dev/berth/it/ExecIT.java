package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `docker exec` in all its forms, TTYs on a real pseudo-terminal, nsenter from the host, and the
 * exec helper's process against the container's own.
 */
class ExecIT {
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

    /** The body of a raw HTTP response. */
    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    private String runSleeper(String name, String... options) throws Exception {
        String[] args = new String[options.length + 5];
        args[0] = "run";
        args[1] = "-d";
        args[2] = "--name=" + name;
        System.arraycopy(options, 0, args, 3, options.length);
        args[options.length + 3] = "busybox";
        args[options.length + 4] = "sleep";
        String[] withCommand = java.util.Arrays.copyOf(args, args.length + 1);
        withCommand[args.length] = "1000";
        return berth.docker(withCommand).ok().trim();
    }

    @Test
    void execRunsInTheContainerAndItsExitCodePropagates() throws Exception {
        runSleeper("ex-basic", "-e", "FROM_RUN=1");
        assertThat(berth.docker("exec", "ex-basic", "sh", "-c", "echo out; echo err >&2; echo $FROM_RUN $HOSTNAME").stdout())
                .startsWith("out\n1 ");
        CliResult split = berth.docker("exec", "ex-basic", "sh", "-c", "echo out; echo err >&2");
        assertThat(split.stdout()).isEqualTo("out\n");
        assertThat(split.stderr()).isEqualTo("err\n");
        assertThat(berth.docker("exec", "ex-basic", "sh", "-c", "exit 3").exitCode()).isEqualTo(3);
        assertThat(berth.docker("exec", "ex-basic", "sh", "-c", "kill -9 $$").exitCode()).isEqualTo(137);

        CliResult missing = berth.docker("exec", "ex-basic", "no-such-command");
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.stdout()).contains("executable file not found");
        assertThat(berth.docker("exec", "ex-basic", "/etc/passwd").exitCode()).isEqualTo(126);
    }

    /**
     * Without a TTY the runtime runs in the foreground (no conmon): a background child that keeps
     * the output open must not keep the exec from ending, and a process's own stderr and 255
     * must not be taken for the runtime's start failure.
     */
    @Test
    void execEndsWithItsProcessAndKeepsItsOwnStderr() throws Exception {
        runSleeper("ex-fg");
        CliResult background = berth.docker("exec", "ex-fg", "sh", "-c", "sleep 1000 & echo $! > /tmp/child; echo started; exit 5");
        assertThat(background.exitCode()).isEqualTo(5);
        assertThat(background.stdout()).isEqualTo("started\n");
        assertThat(berth.docker("exec", "ex-fg", "sh", "-c", "kill -0 $(cat /tmp/child)").exitCode()).as("the child runs on")
                .isZero();

        CliResult own = berth.docker("exec", "ex-fg", "sh", "-c", "echo oops >&2; echo fine; exit 255");
        assertThat(own.exitCode()).isEqualTo(255);
        assertThat(own.stderr()).isEqualTo("oops\n");
        assertThat(own.stdout()).isEqualTo("fine\n");

        CliResult late = berth.docker("exec", "ex-fg", "sh", "-c", "sleep 0.2; echo later >&2");
        assertThat(late.ok()).isEmpty();
        assertThat(late.stderr()).isEqualTo("later\n");
    }

    @Test
    void environmentDirectoryUserAndEnvFile() throws Exception {
        runSleeper("ex-opts", "-e", "KEEP=container", "-e", "OVER=container");
        Path envFile = Files.createTempFile("berth-exec-env", ".list");
        Files.writeString(envFile, "FROM_FILE=yes\n");
        try {
            String out = berth.docker("exec", "-e", "OVER=exec", "--env-file", envFile.toString(), "-w", "/tmp", "-u", "nobody",
                    "ex-opts", "sh", "-c", "echo $KEEP $OVER $FROM_FILE $(pwd) $(id -u)").ok();
            assertThat(out).isEqualTo("container exec yes /tmp 65534\n");
        } finally {
            Files.deleteIfExists(envFile);
        }
        assertThat(berth.docker("exec", "-u", "1234:5678", "ex-opts", "id").ok()).contains("uid=1234").contains("gid=5678");
        CliResult relative = berth.docker("exec", "-w", "tmp", "ex-opts", "true");
        assertThat(relative.exitCode()).isNotZero();
        assertThat(relative.stderr()).contains("the working directory 'tmp' is invalid");
    }

    @Test
    void stdinReachesTheProcessAndEnds() throws Exception {
        runSleeper("ex-stdin");
        assertThat(berth.dockerWithInput("one\ntwo\n".getBytes(), "exec", "-i", "ex-stdin", "wc", "-l").ok().trim()).isEqualTo("2");
        byte[] big = "y".repeat(1 << 20).getBytes();
        assertThat(berth.dockerWithInput(big, "exec", "-i", "ex-stdin", "wc", "-c").ok().trim()).isEqualTo(String.valueOf(1 << 20));
    }

    @Test
    void privilegedExecGetsEveryCapability() throws Exception {
        runSleeper("ex-priv");
        String plain = berth.docker("exec", "ex-priv", "grep", "CapEff", "/proc/self/status").ok();
        String privileged = berth.docker("exec", "--privileged", "ex-priv", "grep", "CapEff", "/proc/self/status").ok();
        long plainCaps = Long.bitCount(Long.parseUnsignedLong(plain.split("\\s+")[1], 16));
        long privilegedCaps = Long.bitCount(Long.parseUnsignedLong(privileged.split("\\s+")[1], 16));
        assertThat(plainCaps).isEqualTo(14);
        assertThat(privilegedCaps).isGreaterThan(plainCaps);
    }

    @Test
    void detachedExecRunsInTheBackground() throws Exception {
        runSleeper("ex-detach");
        CliResult detached = berth.docker("exec", "-d", "ex-detach", "sh", "-c", "sleep 0.3; echo done > /tmp/marker");
        assertThat(detached.ok()).isEmpty();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (berth.docker("exec", "ex-detach", "cat", "/tmp/marker").exitCode() != 0) {
            assertThat(System.nanoTime()).as("the detached exec's file").isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(berth.docker("exec", "ex-detach", "cat", "/tmp/marker").ok()).isEqualTo("done\n");
    }

    @Test
    void inspectShowsRunningPidAndExitCode() throws Exception {
        String id = runSleeper("ex-inspect");
        JsonObject created = new JsonObject(body(berth.rawPost("/containers/ex-inspect/exec", "application/json",
                "{\"AttachStdout\":true,\"Cmd\":[\"sh\",\"-c\",\"sleep 30\"]}")));
        String execId = created.getString("Id");
        JsonObject before = new JsonObject(body(berth.rawGet("/exec/" + execId + "/json")));
        assertThat(before.getBoolean("Running")).isFalse();
        assertThat(before.getValue("ExitCode")).isNull();
        assertThat(before.getString("ContainerID")).isEqualTo(id);
        assertThat(before.getJsonObject("ProcessConfig").getString("entrypoint")).isEqualTo("sh");

        String started = berth.rawPost("/exec/" + execId + "/start", "application/json", "{\"Detach\":true}");
        assertThat(started).startsWith("HTTP/1.1 200");
        assertThat(body(started)).isEmpty();
        JsonObject running = new JsonObject(body(berth.rawGet("/exec/" + execId + "/json")));
        assertThat(running.getBoolean("Running")).isTrue();
        int pid = running.getInteger("Pid");
        // busybox's sh -c runs its one command in its own place, but a detached start answers
        // once the process runs, which may be before sh has exec'd sleep
        long execDeadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.readString(Path.of("/proc/" + pid + "/cmdline")).equals("sleep\0" + "30\0")) {
            assertThat(Files.readString(Path.of("/proc/" + pid + "/cmdline"))).as("the exec's pid runs sh, then sleep")
                    .isIn("sh\0-c\0sleep 30\0", "sleep\0" + "30\0");
            assertThat(System.nanoTime()).as("sh -c exec'd sleep in the exec's pid").isLessThan(execDeadline);
            Thread.sleep(10);
        }

        String again = berth.rawPost("/exec/" + execId + "/start", "application/json", "{\"Detach\":true}");
        assertThat(again).contains("is already running");

        berth.shell("kill -TERM " + pid).ok();
        long deadline = System.nanoTime() + 20_000_000_000L;
        JsonObject after;
        do {
            after = new JsonObject(body(berth.rawGet("/exec/" + execId + "/json")));
            assertThat(System.nanoTime()).as("the exec's end").isLessThan(deadline);
        } while (after.getBoolean("Running"));
        assertThat(after.getInteger("ExitCode")).isEqualTo(143);
        assertThat(berth.rawPost("/exec/" + execId + "/start", "application/json", "{\"Detach\":true}"))
                .contains("has already run");
        assertThat(berth.rawGet("/exec/no-such-exec/json")).contains("No such exec instance: no-such-exec");
    }

    @Test
    void execIntoAStoppedContainerIsAConflict() throws Exception {
        String id = berth.docker("create", "--name=ex-stopped", "busybox", "sleep", "1000").ok().trim();
        CliResult refused = berth.docker("exec", "ex-stopped", "true");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("container " + id + " is not running");
        assertThat(berth.docker("exec", "no-such-container", "true").stderr()).contains("No such container: no-such-container");
    }

    @Test
    void nsenterFromTheHostEntersTheContainer() throws Exception {
        String id = runSleeper("ex-nsenter", "--hostname=nsenter-test");
        String pid = berth.docker("inspect", "-f", "{{.State.Pid}}", id).ok().trim();
        assertThat(Files.readString(Path.of("/proc/" + pid + "/cmdline"))).isEqualTo("sleep\0" + "1000\0");
        CliResult entered = berth.shell("nsenter -t " + pid + " -m -u -i -n -p sh -c 'hostname; cat /proc/1/cmdline | tr \"\\0\" \" \"'");
        assertThat(entered.ok()).isEqualTo("nsenter-test\nsleep 1000 ");
    }

    @Test
    void ttyExecFollowsTheWindowSize() throws Exception {
        runSleeper("ex-tty");
        CliResult tty = berth.dockerOnTerminal(30, 100, "[{\"after\":\"first 30 100\",\"resize\":[40,120],\"until\":\"second\"}]",
                "exec", "-it", "ex-tty", "sh", "-c",
                "echo first $(stty size) $TERM; tty; while [ \"$(stty size)\" != \"40 120\" ]; do sleep 0.1; done; "
                        + "echo second $(stty size); exit 5");
        assertThat(tty.exitCode()).as(tty.stdout()).isEqualTo(5);
        assertThat(tty.stdout()).contains("first 30 100 xterm").contains("/dev/pts/").contains("second 40 120");
    }

    @Test
    void ttyRunFollowsTheWindowSize() throws Exception {
        CliResult tty = berth.dockerOnTerminal(30, 100, "[{\"after\":\"first 30 100\",\"resize\":[40,120],\"until\":\"second\"}]",
                "run", "-it", "--rm", "busybox", "sh", "-c",
                "echo first $(stty size); while [ \"$(stty size)\" != \"40 120\" ]; do sleep 0.1; done; echo second $(stty size); exit 6");
        assertThat(tty.exitCode()).as(tty.stdout()).isEqualTo(6);
        assertThat(tty.stdout()).contains("first 30 100").contains("second 40 120");
    }

    // exec through Berth's helper (design.md, "exec without runc"): the process it starts must be
    // what `runc exec` would have made of it, the container's own init being the reference, and
    // containers the helper cannot serve must still exec through runc.

    /** The /proc/PID/status lines that carry a process's privileges and confinement. */
    private static final String CONFINEMENT = "grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp|Seccomp_filters):' ";

    /** Namespaces of a process in the container, as `ls -l /proc/PID/ns` names them (mnt:[4026…]). */
    private static String namespacesOf(String pid) {
        return "for ns in cgroup ipc mnt net pid uts; do readlink /proc/" + pid + "/ns/$ns; done";
    }

    @Test
    void theExecdProcessHasTheContainerInitsPrivilegesNamespacesCgroupsAndLimits() throws Exception {
        String id = runSleeper("nx-same", "--ulimit", "nofile=1000:2000", "--cap-add", "NET_ADMIN", "--cap-drop", "CHOWN");
        assertThat(berth.execRoot().resolve("containers").resolve(id).resolve("seccomp.bpf"))
                .as("runc's filters, copied at the start for the helper").isRegularFile();
        String init = berth.docker("exec", "nx-same", "sh", "-c", CONFINEMENT + "/proc/1/status").ok();
        assertThat(init).contains("Seccomp:\t2").contains("Seccomp_filters:\t1").contains("NoNewPrivs:\t0");
        assertThat(berth.docker("exec", "nx-same", "sh", "-c", CONFINEMENT + "/proc/self/status").ok()).isEqualTo(init);
        assertThat(berth.docker("exec", "nx-same", "sh", "-c", namespacesOf("self")).ok())
                .isEqualTo(berth.docker("exec", "nx-same", "sh", "-c", namespacesOf("1")).ok());
        assertThat(berth.docker("exec", "nx-same", "cat", "/proc/self/cgroup").ok())
                .isEqualTo(berth.docker("exec", "nx-same", "cat", "/proc/1/cgroup").ok());
        // Set by the helper before the process runs: never the hard limit that runc 1.1.5's
        // exec race (opencontainers/runc #4195) sometimes leaves as the soft one.
        for (int i = 0; i < 10; i++) {
            assertThat(berth.docker("exec", "nx-same", "sh", "-c", "ulimit -n; ulimit -Hn").ok()).isEqualTo("1000\n2000\n");
        }
        assertThat(berth.docker("exec", "-u", "1000:1001", "-w", "/tmp", "nx-same", "sh", "-c", "id; pwd; " + CONFINEMENT
                + "/proc/self/status | grep CapEff").ok())
                .isEqualTo("uid=1000 gid=1001\n/tmp\nCapEff:\t0000000000000000\n");
    }

    @Test
    void theHelperRunsFromASealedMemoryFileOutsideTheContainersCgroups() throws Exception {
        runSleeper("nx-parent");
        String init = berth.docker("inspect", "-f", "{{.State.Pid}}", "nx-parent").ok().trim();
        ExecSeen seen = observeExec("nx-parent");
        assertThat(seen.parentExe()).startsWith("/memfd:berth-exec");
        assertThat(seen.cgroups()).as("every hierarchy, v1 and v2").isEqualTo(Files.readString(Path.of("/proc", init, "cgroup")));
        // Only the process itself joins the container: `docker top` and the pids limit never count the helper.
        assertThat(seen.parentCgroups()).doesNotContain(berth.cgroupParent());
    }

    @Test
    void aContainerWithNoNewPrivilegesExecsThroughRunc() throws Exception {
        // runc loads such a container's filters only after the start, so none was copied.
        String id = runSleeper("nx-nnp", "--security-opt", "no-new-privileges");
        assertThat(berth.execRoot().resolve("containers").resolve(id).resolve("seccomp.bpf")).doesNotExist();
        assertThat(berth.docker("exec", "nx-nnp", "sh", "-c", CONFINEMENT + "/proc/self/status").ok())
                .isEqualTo(berth.docker("exec", "nx-nnp", "sh", "-c", CONFINEMENT + "/proc/1/status").ok())
                .contains("NoNewPrivs:\t1").contains("Seccomp_filters:\t1");
        assertThat(Path.of(observeExec("nx-nnp").parentExe()).getFileName().toString()).isEqualTo("runc");
    }

    @Test
    void anUnconfinedContainerGetsNoFilter() throws Exception {
        String id = runSleeper("nx-unconfined", "--security-opt", "seccomp=unconfined");
        assertThat(berth.execRoot().resolve("containers").resolve(id).resolve("seccomp.bpf")).doesNotExist();
        assertThat(berth.docker("exec", "nx-unconfined", "grep", "^Seccomp:", "/proc/self/status").ok()).isEqualTo("Seccomp:\t0\n");
        assertThat(observeExec("nx-unconfined").parentExe()).startsWith("/memfd:berth-exec");
    }

    @Test
    void execsFollowTheContainerAcrossItsRestartAndTheDaemons() throws Exception {
        runSleeper("nx-restart");
        String before = berth.docker("exec", "nx-restart", "cat", "/proc/1/stat").ok();
        berth.docker("restart", "-t", "0", "nx-restart").ok();
        // A new init (new pid and start time): the exec must join it, not the one that has gone.
        String after = berth.docker("exec", "nx-restart", "sh", "-c", CONFINEMENT + "/proc/self/status; cat /proc/1/stat").ok();
        assertThat(after).contains("Seccomp_filters:\t1").doesNotContain(before.strip());
        berth.kill();
        berth.restart();
        assertThat(berth.docker("exec", "nx-restart", "sh", "-c", "echo restored; grep Seccomp_filters /proc/self/status").ok())
                .isEqualTo("restored\nSeccomp_filters:\t1\n");
        assertThat(observeExec("nx-restart").parentExe()).startsWith("/memfd:berth-exec");
    }

    /** A running exec's process and its parent (the helper, or runc), seen from the host. */
    private record ExecSeen(String parentExe, String parentCgroups, String cgroups) {
    }

    /**
     * Runs an attached `docker exec` and looks at its process from the host while it runs (its
     * host pid and its parent's from `docker top`), then ends it.
     */
    private ExecSeen observeExec(String container) throws Exception {
        String marker = "sleep 3000";
        Process exec = berth.dockerProcess("exec", container, marker.split(" ")[0], marker.split(" ")[1]);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                for (String line : berth.docker("top", container).ok().split("\n")) {
                    String[] columns = line.trim().split("\\s+");
                    if (line.endsWith(marker) && columns.length > 2) {
                        ExecSeen seen = new ExecSeen(Files.readSymbolicLink(Path.of("/proc", columns[2], "exe")).toString(),
                                Files.readString(Path.of("/proc", columns[2], "cgroup")),
                                Files.readString(Path.of("/proc", columns[1], "cgroup")));
                        BerthDaemon.host("kill", "-9", columns[1]);
                        return seen;
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError("the exec's process never showed in docker top");
        } finally {
            exec.waitFor(10, TimeUnit.SECONDS);
            exec.destroyForcibly();
        }
    }
}
