package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Detaching from TTY sessions with the detach keys, and the CLI's signal proxy, on real terminals. */
class AttachIT {
    private static final String CTRL_P_CTRL_Q = "\\u0010\\u0011";
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

    private String status(String name) throws Exception {
        return berth.docker("inspect", "-f", "{{.State.Status}}", name).ok().trim();
    }

    @Test
    void ctrlPCtrlQDetachesFromAShellAndLeavesItRunning() throws Exception {
        berth.docker("run", "-dit", "--name=at-shell", "busybox", "sh").ok();
        CliResult attach = berth.dockerOnTerminal(30, 100, "[{\"after\":\"\",\"send\":\"echo hello-$((40+2))\\n\"},"
                + "{\"after\":\"hello-42\",\"send\":\"" + CTRL_P_CTRL_Q + "\"}]", "attach", "at-shell");
        assertThat(attach.stdout()).contains("hello-42").contains("read escape sequence").doesNotContain("timed out");
        assertThat(status("at-shell")).isEqualTo("running");

        CliResult again = berth.dockerOnTerminal(30, 100, "[{\"after\":\"\",\"send\":\"echo again-$((1+1))\\n\"},"
                + "{\"after\":\"again-2\",\"send\":\"\\u0018x\"}]", "attach", "--detach-keys=ctrl-x,x", "at-shell");
        assertThat(again.stdout()).contains("again-2").contains("read escape sequence").doesNotContain("timed out");
        assertThat(status("at-shell")).isEqualTo("running");
    }

    @Test
    void aKeyThatOnlyStartsTheSequenceReachesTheContainer() throws Exception {
        berth.docker("run", "-dit", "--name=at-partial", "busybox", "sh").ok();
        // ctrl-p then "e": not the sequence, so both reach the shell (ctrl-p recalls nothing here).
        CliResult attach = berth.dockerOnTerminal(30, 100, "[{\"after\":\"\",\"send\":\"\\u0010echo partial-$((2+3))\\n\"},"
                + "{\"after\":\"partial-5\",\"send\":\"" + CTRL_P_CTRL_Q + "\"}]", "attach", "at-partial");
        assertThat(attach.stdout()).contains("partial-5").doesNotContain("timed out");
        assertThat(status("at-partial")).isEqualTo("running");
    }

    @Test
    void runAndExecDetachToo() throws Exception {
        CliResult run = berth.dockerOnTerminal(30, 100, "[{\"after\":\"ready\",\"send\":\"" + CTRL_P_CTRL_Q + "\"}]",
                "run", "-it", "--name=at-run", "busybox", "sh", "-c", "echo ready; sleep 1000");
        assertThat(run.stdout()).contains("ready").doesNotContain("timed out");
        assertThat(status("at-run")).isEqualTo("running");

        CliResult exec = berth.dockerOnTerminal(30, 100, "[{\"after\":\"go\",\"send\":\"" + CTRL_P_CTRL_Q + "\"}]",
                "exec", "-it", "at-run", "sh", "-c", "echo go; sleep 999");
        assertThat(exec.stdout()).contains("go").doesNotContain("timed out");
        assertThat(berth.docker("exec", "at-run", "ps", "-o", "args").ok()).contains("sleep 999");
    }

    @Test
    void badDetachKeysAreRefused() throws Exception {
        berth.docker("run", "-d", "--name=at-bad", "busybox", "sleep", "1000").ok();
        CliResult exec = berth.docker("exec", "--detach-keys=ctrl-1", "at-bad", "true");
        assertThat(exec.exitCode()).isNotZero();
        assertThat(exec.stderr()).contains("Invalid escape keys (ctrl-1) provided");
    }

    @Test
    void theCliForwardsSignalsUnlessSigProxyIsOff() throws Exception {
        Process proxied = berth.dockerProcess("run", "--name=at-proxy", "busybox", "sh", "-c",
                "trap 'echo got-term; exit 4' TERM; echo ready; while true; do sleep 0.1; done");
        awaitLine(proxied, "ready");
        // Process.destroy would also close the CLI's pipes, and its "got-term" would die of SIGPIPE.
        berth.shell("kill -TERM " + proxied.pid()).ok();
        assertThat(proxied.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(proxied.exitValue()).isEqualTo(4);
        assertThat(berth.docker("logs", "at-proxy").ok()).contains("got-term");

        Process unproxied = berth.dockerProcess("run", "--sig-proxy=false", "--name=at-noproxy", "busybox", "sh", "-c",
                "trap 'echo got-term; exit 4' TERM; echo ready; while true; do sleep 0.1; done");
        awaitLine(unproxied, "ready");
        // Without the proxy the CLI keeps the signal to itself (and stays attached): end it for good.
        berth.shell("kill -TERM " + unproxied.pid() + "; sleep 0.5; kill -KILL " + unproxied.pid()).ok();
        assertThat(unproxied.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(status("at-noproxy")).isEqualTo("running");
        assertThat(berth.docker("logs", "at-noproxy").ok()).doesNotContain("got-term");
    }

    private static void awaitLine(Process process, String line) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String read;
        while ((read = reader.readLine()) != null) {
            if (read.equals(line)) {
                return;
            }
        }
        throw new AssertionError("the process ended before it printed " + line);
    }
}
