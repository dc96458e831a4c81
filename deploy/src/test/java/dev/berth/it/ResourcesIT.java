package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Resource limits: in the container's cgroup (v1 here, v2 read where the host has it), its rlimits, and inspect. */
class ResourcesIT {
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

    /** A cgroup file of the container: v1's controller/file, else v2's file of the unified hierarchy. */
    private String cgroup(String id, String v1Controller, String v1File, String v2File) throws Exception {
        Path v1 = Path.of("/sys/fs/cgroup/" + v1Controller + berth.cgroupParent(), id, v1File);
        if (Files.exists(v1)) {
            return Files.readString(v1).trim();
        }
        return Files.readString(Path.of("/sys/fs/cgroup" + berth.cgroupParent(), id, v2File)).trim();
    }

    private String inspect(String id, String format) throws Exception {
        return berth.docker("inspect", "-f", format, id).ok().trim();
    }

    @Test
    void limitsReachTheCgroupTheRlimitsAndInspect() throws Exception {
        String id = berth.docker("run", "-d", "-m", "64m", "--memory-reservation", "32m", "--memory-swap", "96m",
                "--cpus", "0.5", "--cpu-shares", "512", "--cpuset-cpus", "0", "--pids-limit", "50",
                "--ulimit", "nofile=1000:2000", "--shm-size", "16m", "busybox", "sleep", "1000").ok().trim();
        assertThat(cgroup(id, "memory", "memory.limit_in_bytes", "memory.max")).isEqualTo("67108864");
        assertThat(cgroup(id, "memory", "memory.soft_limit_in_bytes", "memory.low")).isEqualTo("33554432");
        if (Files.exists(Path.of("/sys/fs/cgroup/memory" + berth.cgroupParent(), id, "memory.memsw.limit_in_bytes"))) {
            assertThat(cgroup(id, "memory", "memory.memsw.limit_in_bytes", "")).isEqualTo("100663296");
        }
        assertThat(cgroup(id, "cpu", "cpu.cfs_quota_us", "cpu.max").split(" ")[0]).isEqualTo("50000");
        assertThat(cgroup(id, "cpu", "cpu.shares", "cpu.weight")).isEqualTo(
                Files.exists(Path.of("/sys/fs/cgroup/cpu" + berth.cgroupParent())) ? "512" : "20");
        assertThat(cgroup(id, "cpuset", "cpuset.cpus", "cpuset.cpus")).isEqualTo("0");
        assertThat(cgroup(id, "pids", "pids.max", "pids.max")).isEqualTo("50");
        // The container's own process: runc sets its rlimits itself at create. An exec's soft
        // NOFILE is racy in runc 1.1.5 built with Go 1.19 (runc #4195; design.md, "rlimits of an exec").
        assertThat(berth.docker("exec", id, "cat", "/proc/1/limits").ok())
                .containsPattern("Max open files\\s+1000\\s+2000\\s+files");
        assertThat(berth.docker("exec", id, "df", "-k", "/dev/shm").ok()).contains(" 16384 ");

        assertThat(inspect(id, "{{.HostConfig.Memory}} {{.HostConfig.MemoryReservation}} {{.HostConfig.MemorySwap}}"))
                .isEqualTo("67108864 33554432 100663296");
        assertThat(inspect(id, "{{.HostConfig.NanoCpus}} {{.HostConfig.CpuShares}} {{.HostConfig.CpusetCpus}}"))
                .isEqualTo("500000000 512 0");
        assertThat(inspect(id, "{{.HostConfig.PidsLimit}} {{.HostConfig.ShmSize}} "
                + "{{range .HostConfig.Ulimits}}{{.Name}}={{.Soft}}:{{.Hard}}{{end}}")).isEqualTo("50 16777216 nofile=1000:2000");
    }

    @Test
    void quotaPeriodAndOomKillDisable() throws Exception {
        String id = berth.docker("run", "-d", "--cpu-period", "50000", "--cpu-quota", "25000", "-m", "32m",
                "--oom-kill-disable", "busybox", "sleep", "1000").ok().trim();
        if (Files.exists(Path.of("/sys/fs/cgroup/cpu" + berth.cgroupParent()))) {
            assertThat(cgroup(id, "cpu", "cpu.cfs_period_us", "")).isEqualTo("50000");
            assertThat(cgroup(id, "cpu", "cpu.cfs_quota_us", "")).isEqualTo("25000");
            assertThat(cgroup(id, "memory", "memory.oom_control", "")).contains("oom_kill_disable 1");
        } else {
            assertThat(cgroup(id, "", "", "cpu.max")).isEqualTo("25000 50000");
        }
    }

    @Test
    void aProcessOverItsMemoryIsKilledAndInspectSaysOomKilled() throws Exception {
        String id = berth.docker("create", "-m", "8m", "busybox", "dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1")
                .ok().trim();
        CliResult run = berth.docker("start", "-a", id);
        assertThat(run.exitCode()).isEqualTo(137);
        assertThat(inspect(id, "{{.State.OOMKilled}} {{.State.ExitCode}}")).isEqualTo("true 137");
    }

    @Test
    void updateChangesTheLimitsOfARunningContainer() throws Exception {
        String id = berth.docker("run", "-d", "-m", "32m", "busybox", "sleep", "1000").ok().trim();
        berth.docker("update", "-m", "100m", "--cpus", "0.3", "--pids-limit", "20", "--cpu-shares", "256", id).ok();
        assertThat(cgroup(id, "memory", "memory.limit_in_bytes", "memory.max")).isEqualTo("104857600");
        assertThat(cgroup(id, "cpu", "cpu.cfs_quota_us", "cpu.max").split(" ")[0]).isEqualTo("30000");
        assertThat(cgroup(id, "pids", "pids.max", "pids.max")).isEqualTo("20");
        assertThat(inspect(id, "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}} {{.HostConfig.CpuShares}}"))
                .isEqualTo("104857600 300000000 20 256");

        berth.docker("restart", "-t", "0", id).ok();
        assertThat(cgroup(id, "memory", "memory.limit_in_bytes", "memory.max")).as("the update outlives a restart")
                .isEqualTo("104857600");
        assertThat(berth.docker("update", "-m", "1k", id).stderr()).contains("Minimum memory limit allowed is 6MB");
        assertThat(berth.docker("update", "--blkio-weight", "300", id).stderr())
                .contains("berth does not support HostConfig.BlkioWeight (--blkio-weight) yet");
        assertThat(inspect(id, "{{.HostConfig.Memory}}")).isEqualTo("104857600");
    }

    @Test
    void statsShowCpuMemoryAndPidsInTheClisColumns() throws Exception {
        String id = berth.docker("run", "-d", "--name=stats-busy", "-m", "64m", "--pids-limit", "30", "busybox", "sh", "-c",
                "sleep 1000 & while true; do :; done").ok().trim();
        String[] row = berth.docker("stats", "--no-stream", "--format", "{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.PIDs}}|{{.NetIO}}",
                "stats-busy").ok().trim().split("\\|");
        assertThat(row[0]).isEqualTo("stats-busy");
        assertThat(Double.parseDouble(row[1].replace("%", ""))).as("a busy loop uses CPU").isGreaterThan(0);
        assertThat(row[2]).endsWith("/ 64MiB");
        assertThat(row[3]).isEqualTo("2");

        JsonObject sample = new JsonObject(berth.rawGet("/containers/" + id + "/stats?stream=0").split("\r\n\r\n", 2)[1]);
        assertThat(sample.getJsonObject("memory_stats").getLong("limit")).isEqualTo(64L * 1024 * 1024);
        assertThat(sample.getJsonObject("pids_stats").getLong("limit")).isEqualTo(30);
        long cpu = sample.getJsonObject("cpu_stats").getJsonObject("cpu_usage").getLong("total_usage");
        long precpu = sample.getJsonObject("precpu_stats").getJsonObject("cpu_usage").getLong("total_usage");
        assertThat(cpu).isGreaterThan(precpu);
        assertThat(sample.getString("name")).isEqualTo("/stats-busy");

        Process streaming = berth.dockerProcess("stats", "--format", "{{.Name}} {{.PIDs}}", "stats-busy");
        try (java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(streaming.getInputStream()))) {
            int frames = 0;
            String line;
            while (frames < 2 && (line = out.readLine()) != null) {
                if (line.contains("stats-busy 2")) {
                    frames++;
                }
            }
            assertThat(frames).as("two frames of the stream").isEqualTo(2);
        } finally {
            streaming.destroyForcibly();
        }
        berth.docker("stop", "-t", "0", "stats-busy").ok();
        assertThat(berth.docker("stats", "--no-stream", "--format", "{{.PIDs}}", "stats-busy").ok().trim()).isEqualTo("0");
    }

    @Test
    void badLimitsAreRefusedWithDockerdsWords() throws Exception {
        assertThat(berth.docker("run", "-m", "1k", "busybox", "true").stderr()).contains("Minimum memory limit allowed is 6MB");
        int cpus = Runtime.getRuntime().availableProcessors();
        assertThat(berth.docker("run", "--cpus", "100", "busybox", "true").stderr())
                .contains("Range of CPUs is from 0.01 to " + cpus + ".00, as there are only " + cpus + " CPUs available");
        assertThat(berth.docker("run", "-m", "64m", "--memory-swap", "32m", "busybox", "true").stderr())
                .contains("Minimum memoryswap limit should be larger than memory limit");
        assertThat(berth.docker("run", "--cpuset-cpus", "0-" + (cpus + 3), "busybox", "true").stderr())
                .contains("Requested CPUs are not available");
        assertThat(berth.docker("run", "--cpu-period", "10", "busybox", "true").stderr())
                .contains("CPU cfs period can not be less than 1ms");
        long hard = daemonNofileHardLimit();
        CliResult tooHigh = berth.docker("run", "--ulimit", "nofile=" + (hard + 1) + ":" + (hard + 1), "busybox", "true");
        assertThat(tooHigh.exitCode()).isEqualTo(125);
        assertThat(tooHigh.stderr()).contains("cannot set ulimit nofile to " + (hard + 1)).contains("CAP_SYS_RESOURCE");
        assertThat(berth.docker("ps", "-aq").out()).isEmpty();
    }

    private long daemonNofileHardLimit() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + berth.pid() + "/limits"))) {
            if (line.startsWith("Max open files")) {
                return Long.parseLong(line.substring(26).trim().split("\\s+")[1]);
            }
        }
        throw new AssertionError("no open files limit for berthd");
    }
}
