package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

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
 * `docker exec` through Berth's exec helper (design.md, "exec without runc"): the process it
 * starts must be what `runc exec` would have made of it, the container's own init being the
 * reference, and containers the helper cannot serve must still exec through runc.
 */
class NativeExecIT {
    /** The /proc/PID/status lines that carry a process's privileges and confinement. */
    private static final String CONFINEMENT = "grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp|Seccomp_filters):' ";

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

    private String runSleeper(String name, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name=" + name));
        args.addAll(List.of(options));
        args.addAll(List.of("busybox", "sleep", "1000"));
        return berth.docker(args.toArray(String[]::new)).ok().trim();
    }

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
