package dev.berth.exec.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.container.StatsSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsReaderTest {
    @TempDir
    Path cgroupRoot;

    private final Container web = running("a".repeat(64), "web");
    private final Container db = running("b".repeat(64), "db");

    private static Container running(String id, String name) {
        Container c = ContainerRegistryTest.container(id, name);
        c.markRunning(0, 0, null, false, "/rootfs");
        return c;
    }

    private void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private void unifiedCgroup(Container c, long usageUsec, long memory) throws IOException {
        Path dir = cgroupRoot.resolve("berth").resolve(c.id());
        write(dir.resolve("cpu.stat"), "usage_usec " + usageUsec + "\nuser_usec 30\nsystem_usec 20\nnr_periods 0\n");
        write(dir.resolve("memory.max"), "max\n");
        write(dir.resolve("memory.current"), memory + "\n");
        write(dir.resolve("memory.stat"), "anon 4096\nfile 8192\ninactive_file 4096\n");
        write(dir.resolve("pids.current"), "3\n");
        write(dir.resolve("pids.max"), "max\n");
        write(dir.resolve("io.stat"), "8:0 rbytes=1024 wbytes=2048 rios=1 wios=2 dbytes=0 dios=0\n");
    }

    @Test
    void readsEveryContainerOfATickAgainstTheSameHostCpuTime() throws IOException {
        unifiedCgroup(web, 50, 1_000_000);
        unifiedCgroup(db, 70, 2_000_000);
        List<StatsSample> samples = new StatsReader(cgroupRoot, "/berth", true).readAll(List.of(web, db));

        assertThat(samples).extracting(StatsSample::id).containsExactly(web.id(), db.id());
        assertThat(samples).extracting(StatsSample::cpuTotalNanos).containsExactly(50_000L, 70_000L);
        assertThat(samples).extracting(StatsSample::memoryUsage).containsExactly(1_000_000L, 2_000_000L);
        assertThat(samples.get(0).systemCpuNanos()).isPositive().isEqualTo(samples.get(1).systemCpuNanos());
        StatsSample first = samples.get(0);
        assertThat(first.cpuUserNanos()).isEqualTo(30_000);
        assertThat(first.cpuKernelNanos()).isEqualTo(20_000);
        assertThat(first.memoryLimit()).isPositive(); // no limit: the host's memory
        assertThat(first.memoryStats()).containsEntry("inactive_file", 4096L).containsEntry("anon", 4096L);
        assertThat(first.pidsCurrent()).isEqualTo(3);
        assertThat(first.pidsLimit()).isZero();
        assertThat(first.ioServiceBytes()).containsExactly(new StatsSample.BlkioEntry(8, 0, "read", 1024),
                new StatsSample.BlkioEntry(8, 0, "write", 2048));
    }

    @Test
    void readsTheV1Controllers() throws IOException {
        String id = web.id();
        write(cgroupRoot.resolve("cpuacct/berth/" + id + "/cpuacct.stat"), "user 3\nsystem 2\n");
        write(cgroupRoot.resolve("cpuacct/berth/" + id + "/cpuacct.usage_percpu"), "100 200 \n");
        write(cgroupRoot.resolve("cpuacct/berth/" + id + "/cpuacct.usage"), "300\n");
        write(cgroupRoot.resolve("memory/berth/" + id + "/memory.stat"), "cache 8192\nrss 4096\ntotal_inactive_file 4096\n");
        write(cgroupRoot.resolve("memory/berth/" + id + "/memory.limit_in_bytes"), "104857600\n");
        write(cgroupRoot.resolve("memory/berth/" + id + "/memory.usage_in_bytes"), "12288\n");
        write(cgroupRoot.resolve("memory/berth/" + id + "/memory.max_usage_in_bytes"), "16384\n");
        write(cgroupRoot.resolve("blkio/berth/" + id + "/blkio.throttle.io_service_bytes_recursive"),
                "8:0 Read 1024\n8:0 Write 2048\n8:0 Total 3072\nTotal 3072\n");
        write(cgroupRoot.resolve("pids/berth/" + id + "/pids.current"), "2\n");
        write(cgroupRoot.resolve("pids/berth/" + id + "/pids.max"), "100\n");

        StatsSample sample = new StatsReader(cgroupRoot, "/berth", false).read(web);

        assertThat(sample.cpuTotalNanos()).isEqualTo(300);
        assertThat(sample.perCpuNanos()).containsExactly(100L, 200L);
        assertThat(sample.cpuUserNanos()).isEqualTo(30_000_000L);
        assertThat(sample.cpuKernelNanos()).isEqualTo(20_000_000L);
        assertThat(sample.memoryUsage()).isEqualTo(12288);
        assertThat(sample.memoryMaxUsage()).isEqualTo(16384);
        assertThat(sample.memoryLimit()).isEqualTo(104857600);
        assertThat(sample.memoryStats()).containsEntry("cache", 8192L).containsEntry("total_inactive_file", 4096L);
        assertThat(sample.pidsCurrent()).isEqualTo(2);
        assertThat(sample.pidsLimit()).isEqualTo(100);
        assertThat(sample.ioServiceBytes()).containsExactly(new StatsSample.BlkioEntry(8, 0, "read", 1024),
                new StatsSample.BlkioEntry(8, 0, "write", 2048), new StatsSample.BlkioEntry(8, 0, "total", 3072));
        assertThat(sample.networks()).isEmpty();
    }

    @Test
    void aStoppedContainerReadsAsNotRunning() {
        Container stopped = ContainerRegistryTest.container("c".repeat(64), "stopped");
        StatsSample sample = new StatsReader(cgroupRoot, "/berth", true).readAll(List.of(stopped)).get(0);
        assertThat(sample.running()).isFalse();
        assertThat(sample.memoryUsage()).isZero();
    }
}
