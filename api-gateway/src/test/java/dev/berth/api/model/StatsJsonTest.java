package dev.berth.api.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.container.StatsSample;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsJsonTest {
    private static StatsSample sample(long readNanos, long cpu, long system) {
        Map<String, Long> memory = new LinkedHashMap<>();
        memory.put("cache", 8192L);
        memory.put("total_inactive_file", 4096L);
        return new StatsSample("a".repeat(64), "web", readNanos, true, cpu, cpu / 2, cpu / 4, List.of(cpu / 2, cpu / 2), system, 2,
                12288, 16384, 104857600, memory, 3, 30, List.of(new StatsSample.BlkioEntry(8, 0, "read", 1024)),
                Map.of("eth0", new StatsSample.NetworkCounters(1, 2, 3, 4, 5, 6, 7, 8)));
    }

    @Test
    void rendersTheFieldsTheCliReadsFromTwoSamples() {
        Buffer line = StatsJson.renderLine(sample(2_000_000_000L, 600, 9000), sample(1_000_000_123L, 400, 5000));
        assertThat(line.toString()).endsWith("}\n").doesNotContain("\n{");
        JsonObject json = new JsonObject(line);
        assertThat(json.getString("name")).isEqualTo("/web");
        assertThat(json.getString("read")).isEqualTo("1970-01-01T00:00:02.000000000Z");
        assertThat(json.getString("preread")).isEqualTo("1970-01-01T00:00:01.000000123Z");
        JsonObject cpu = json.getJsonObject("cpu_stats");
        assertThat(cpu.getJsonObject("cpu_usage").getLong("total_usage")).isEqualTo(600);
        assertThat(cpu.getJsonObject("cpu_usage").getJsonArray("percpu_usage").getList()).containsExactly(300, 300);
        assertThat(cpu.getLong("system_cpu_usage")).isEqualTo(9000);
        assertThat(cpu.getInteger("online_cpus")).isEqualTo(2);
        JsonObject precpu = json.getJsonObject("precpu_stats");
        assertThat(precpu.getJsonObject("cpu_usage").getLong("total_usage")).isEqualTo(400);
        assertThat(precpu.getLong("system_cpu_usage")).isEqualTo(5000);
        JsonObject memory = json.getJsonObject("memory_stats");
        assertThat(memory.getLong("usage")).isEqualTo(12288);
        assertThat(memory.getLong("max_usage")).isEqualTo(16384);
        assertThat(memory.getLong("limit")).isEqualTo(104857600);
        assertThat(memory.getJsonObject("stats").getLong("total_inactive_file")).isEqualTo(4096);
        assertThat(json.getJsonObject("pids_stats")).isEqualTo(new JsonObject().put("current", 3).put("limit", 30));
        JsonObject blkio = json.getJsonObject("blkio_stats");
        assertThat(blkio.getJsonArray("io_service_bytes_recursive").getJsonObject(0))
                .isEqualTo(new JsonObject().put("major", 8).put("minor", 0).put("op", "read").put("value", 1024));
        assertThat(blkio.containsKey("io_serviced_recursive")).isTrue();
        assertThat(blkio.getValue("io_serviced_recursive")).isNull();
        assertThat(json.getJsonObject("networks").getJsonObject("eth0")).isEqualTo(new JsonObject().put("rx_bytes", 1)
                .put("rx_packets", 2).put("rx_errors", 3).put("rx_dropped", 4).put("tx_bytes", 5).put("tx_packets", 6)
                .put("tx_errors", 7).put("tx_dropped", 8));
    }

    @Test
    void theFirstSampleHasAZeroPrecpuAndPreread() {
        JsonObject json = new JsonObject(StatsJson.renderLine(sample(2_000_000_000L, 600, 9000), null));
        assertThat(json.getString("preread")).isEqualTo("0001-01-01T00:00:00Z");
        JsonObject precpu = json.getJsonObject("precpu_stats");
        assertThat(precpu.getJsonObject("cpu_usage").getLong("total_usage")).isZero();
        assertThat(precpu.containsKey("system_cpu_usage")).isFalse();
    }

    @Test
    void aStoppedContainerHasNoMemoryNorBlockIo() {
        StatsSample stopped = new StatsSample("b".repeat(64), "db", 1, false, 0, 0, 0, List.of(), 100, 2, 0, 0, 0, Map.of(), 0, 0,
                List.of(), Map.of());
        JsonObject json = new JsonObject(StatsJson.renderLine(stopped, null));
        assertThat(json.getJsonObject("memory_stats").isEmpty()).isTrue();
        assertThat(json.getJsonObject("blkio_stats").getValue("io_service_bytes_recursive")).isNull();
        assertThat(json.getJsonObject("pids_stats")).isEqualTo(new JsonObject().put("current", 0));
        assertThat(json.containsKey("networks")).isFalse();
    }
}
