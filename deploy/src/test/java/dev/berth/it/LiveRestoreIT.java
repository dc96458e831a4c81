package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Live-restore as issue 8 asks: berthd killed with SIGKILL while 20 containers run; started again
 * on the same roots, all 20 still run with their pids, their logs are whole and keep growing, and
 * exec, logs -f, stop and rm work on them.
 */
class LiveRestoreIT {
    private static final int CONTAINERS = 20;

    private static List<Integer> lineNumbers(String logs) {
        List<Integer> numbers = new ArrayList<>();
        for (String line : logs.lines().toList()) {
            assertThat(line).startsWith("line ");
            numbers.add(Integer.parseInt(line.substring(5)));
        }
        return numbers;
    }

    /** Every line from 0 on, none lost or doubled. */
    private static void assertWhole(String name, List<Integer> numbers) {
        for (int i = 0; i < numbers.size(); i++) {
            assertThat(numbers.get(i)).as(name + " line " + i).isEqualTo(i);
        }
    }

    @Test
    void twentyContainersOutliveAKilledDaemon() throws Exception {
        try (BerthDaemon berth = BerthDaemon.start()) {
            berth.loadBusybox();
            List<String> names = new ArrayList<>();
            Map<String, String> pids = new HashMap<>();
            for (int i = 0; i < CONTAINERS; i++) {
                String name = "live-" + i;
                berth.docker("run", "-d", "--name", name, "busybox", "sh", "-c",
                        "i=0; while true; do echo line $i; i=$((i+1)); sleep 0.1; done").ok();
                names.add(name);
            }
            Map<String, Integer> linesBefore = new HashMap<>();
            for (String name : names) {
                pids.put(name, berth.docker("inspect", "--format", "{{.State.Pid}}", name).ok().strip());
                List<Integer> numbers = lineNumbers(berth.docker("logs", name).ok());
                assertWhole(name, numbers);
                linesBefore.put(name, numbers.size());
            }

            berth.kill();
            Thread.sleep(1000);
            berth.restart();

            assertThat(berth.docker("ps", "-q").out().lines()).hasSize(CONTAINERS);
            for (String name : names) {
                assertThat(berth.docker("inspect", "--format", "{{.State.Status}} {{.State.Pid}}", name).ok().strip())
                        .isEqualTo("running " + pids.get(name));
            }
            Thread.sleep(500);
            for (String name : names) {
                List<Integer> numbers = lineNumbers(berth.docker("logs", name).ok());
                assertWhole(name, numbers);
                assertThat(numbers.size()).as(name + " kept logging").isGreaterThan(linesBefore.get(name) + 10);
            }

            for (String name : names.subList(0, 3)) {
                assertThat(berth.docker("exec", name, "echo", "inside " + name).ok().strip()).isEqualTo("inside " + name);
            }
            Process follow = berth.dockerProcess("logs", "-f", "--tail", "0", names.get(3));
            try (BufferedReader out = new BufferedReader(new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8))) {
                String first = out.readLine();
                String second = out.readLine();
                assertThat(first).startsWith("line ");
                assertThat(Integer.parseInt(second.substring(5))).isEqualTo(Integer.parseInt(first.substring(5)) + 1);
            } finally {
                follow.destroy();
                follow.waitFor(10, TimeUnit.SECONDS);
            }

            List<String> stop = new ArrayList<>(List.of("stop", "-t", "1"));
            stop.addAll(names);
            berth.dockerWithTimeout(Duration.ofMinutes(3), stop.toArray(String[]::new)).ok();
            assertThat(berth.docker("ps", "-q").out()).isEmpty();
            List<String> rm = new ArrayList<>(List.of("rm"));
            rm.addAll(names);
            berth.docker(rm.toArray(String[]::new)).ok();
            assertThat(berth.docker("ps", "-aq").out()).isEmpty();
        }
    }

    /** A container started with open stdin keeps it across the crash: attach sends to it and gets its exit code. */
    @Test
    void attachWithStdinWorksOnARestoredContainer() throws Exception {
        try (BerthDaemon berth = BerthDaemon.start()) {
            berth.loadBusybox();
            berth.docker("run", "-di", "--name", "live-stdin", "busybox", "sh").ok();
            String pid = berth.docker("inspect", "--format", "{{.State.Pid}}", "live-stdin").ok().strip();

            berth.kill();
            berth.restart();
            assertThat(berth.docker("inspect", "--format", "{{.State.Status}} {{.State.Pid}}", "live-stdin").ok().strip())
                    .isEqualTo("running " + pid);

            Process attach = berth.dockerProcess("attach", "live-stdin");
            try (BufferedReader out = new BufferedReader(new InputStreamReader(attach.getInputStream(), StandardCharsets.UTF_8))) {
                attach.getOutputStream().write("echo restored-$((40+2))\n".getBytes(StandardCharsets.UTF_8));
                attach.getOutputStream().flush();
                assertThat(out.readLine()).isEqualTo("restored-42");
                attach.getOutputStream().write("exit 3\n".getBytes(StandardCharsets.UTF_8));
                attach.getOutputStream().flush();
                assertThat(attach.waitFor(30, TimeUnit.SECONDS)).as("attach ends with the container").isTrue();
                assertThat(attach.exitValue()).isEqualTo(3);
            } finally {
                attach.destroyForcibly();
            }
            assertThat(berth.docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "live-stdin").ok().strip())
                    .isEqualTo("exited 3");
            berth.docker("rm", "live-stdin").ok();
        }
    }
}
