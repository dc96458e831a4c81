package dev.berth.api.model;

import dev.berth.bus.contract.container.StatsSample;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Map;

/**
 * Docker's stats JSON (GET /containers/{id}/stats) from two consecutive samples: the CLI's CPU %
 * is the container's CPU time over the host's between precpu_stats and cpu_stats, times the CPUs.
 */
public final class StatsJson {
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private static final DateTimeFormatter NANOS = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss").appendFraction(ChronoField.NANO_OF_SECOND, 9, 9, true).appendLiteral('Z')
            .toFormatter().withZone(ZoneOffset.UTC);

    private StatsJson() {
    }

    /** @param previous the sample before, or null for the first */
    public static JsonObject render(StatsSample sample, StatsSample previous) {
        JsonObject memory = new JsonObject();
        if (sample.running()) {
            memory.put("usage", sample.memoryUsage());
            if (sample.memoryMaxUsage() > 0) {
                memory.put("max_usage", sample.memoryMaxUsage());
            }
            JsonObject counters = new JsonObject();
            sample.memoryStats().forEach(counters::put);
            memory.put("stats", counters).put("limit", sample.memoryLimit());
        }
        JsonArray blkio = null;
        if (!sample.ioServiceBytes().isEmpty()) {
            blkio = new JsonArray();
            for (StatsSample.BlkioEntry entry : sample.ioServiceBytes()) {
                blkio.add(new JsonObject().put("major", entry.major()).put("minor", entry.minor()).put("op", entry.op())
                        .put("value", entry.value()));
            }
        }
        JsonObject pids = new JsonObject().put("current", sample.pidsCurrent());
        if (sample.pidsLimit() > 0) {
            pids.put("limit", sample.pidsLimit());
        }
        JsonObject json = new JsonObject()
                .put("name", "/" + sample.name())
                .put("id", sample.id())
                .put("read", time(sample.readNanos()))
                .put("preread", previous == null ? ZERO_TIME : time(previous.readNanos()))
                .put("pids_stats", pids)
                .put("blkio_stats", new JsonObject().put("io_service_bytes_recursive", blkio)
                        .putNull("io_serviced_recursive").putNull("io_queue_recursive").putNull("io_service_time_recursive")
                        .putNull("io_wait_time_recursive").putNull("io_merged_recursive").putNull("io_time_recursive")
                        .putNull("sectors_recursive"))
                .put("num_procs", 0)
                .put("storage_stats", new JsonObject())
                .put("cpu_stats", cpu(sample))
                .put("precpu_stats", previous == null ? emptyCpu() : cpu(previous))
                .put("memory_stats", memory);
        if (!sample.networks().isEmpty()) {
            JsonObject networks = new JsonObject();
            for (Map.Entry<String, StatsSample.NetworkCounters> entry : sample.networks().entrySet()) {
                StatsSample.NetworkCounters n = entry.getValue();
                networks.put(entry.getKey(), new JsonObject().put("rx_bytes", n.rxBytes()).put("rx_packets", n.rxPackets())
                        .put("rx_errors", n.rxErrors()).put("rx_dropped", n.rxDropped()).put("tx_bytes", n.txBytes())
                        .put("tx_packets", n.txPackets()).put("tx_errors", n.txErrors()).put("tx_dropped", n.txDropped()));
            }
            json.put("networks", networks);
        }
        return json;
    }

    private static JsonObject cpu(StatsSample sample) {
        JsonObject usage = new JsonObject().put("total_usage", sample.cpuTotalNanos());
        if (!sample.perCpuNanos().isEmpty()) {
            usage.put("percpu_usage", new JsonArray(sample.perCpuNanos()));
        }
        usage.put("usage_in_kernelmode", sample.cpuKernelNanos()).put("usage_in_usermode", sample.cpuUserNanos());
        return new JsonObject().put("cpu_usage", usage).put("system_cpu_usage", sample.systemCpuNanos())
                .put("online_cpus", sample.onlineCpus())
                .put("throttling_data", new JsonObject().put("periods", 0).put("throttled_periods", 0).put("throttled_time", 0));
    }

    private static JsonObject emptyCpu() {
        return new JsonObject().put("cpu_usage", new JsonObject().put("total_usage", 0).put("usage_in_kernelmode", 0)
                .put("usage_in_usermode", 0)).put("throttling_data", new JsonObject().put("periods", 0)
                .put("throttled_periods", 0).put("throttled_time", 0));
    }

    private static String time(long unixNanos) {
        return NANOS.format(Instant.ofEpochSecond(unixNanos / 1_000_000_000L, unixNanos % 1_000_000_000L));
    }
}
