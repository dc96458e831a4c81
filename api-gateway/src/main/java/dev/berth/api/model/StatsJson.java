package dev.berth.api.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.berth.bus.contract.container.StatsSample;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Map;

/**
 * Docker's stats JSON (GET /containers/{id}/stats) from two consecutive samples: the CLI's CPU %
 * is the container's CPU time over the host's between precpu_stats and cpu_stats, times the CPUs.
 * Written straight to bytes with a streaming generator: a client of {@code docker stats} gets one
 * of these a second per container, and a tree of JsonObjects for each cost more than the rest of
 * the gateway's share.
 */
public final class StatsJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private static final DateTimeFormatter NANOS = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss").appendFraction(ChronoField.NANO_OF_SECOND, 9, 9, true).appendLiteral('Z')
            .toFormatter().withZone(ZoneOffset.UTC);
    private static final String[] BLKIO_UNREAD = {"io_serviced_recursive", "io_queue_recursive", "io_service_time_recursive",
        "io_wait_time_recursive", "io_merged_recursive", "io_time_recursive", "sectors_recursive"};

    private StatsJson() {
    }

    /** The JSON followed by a newline, as a stream of them is sent. @param previous the sample before, or null */
    public static Buffer renderLine(StatsSample sample, StatsSample previous) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
        try (JsonGenerator out = FACTORY.createGenerator(bytes)) {
            write(out, sample, previous);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bytes.write('\n');
        return Buffer.buffer(bytes.toByteArray());
    }

    private static void write(JsonGenerator out, StatsSample sample, StatsSample previous) throws IOException {
        out.writeStartObject();
        out.writeStringField("name", "/" + sample.name());
        out.writeStringField("id", sample.id());
        out.writeStringField("read", time(sample.readNanos()));
        out.writeStringField("preread", previous == null ? ZERO_TIME : time(previous.readNanos()));
        out.writeObjectFieldStart("pids_stats");
        out.writeNumberField("current", sample.pidsCurrent());
        if (sample.pidsLimit() > 0) {
            out.writeNumberField("limit", sample.pidsLimit());
        }
        out.writeEndObject();
        out.writeObjectFieldStart("blkio_stats");
        out.writeFieldName("io_service_bytes_recursive");
        if (sample.ioServiceBytes().isEmpty()) {
            out.writeNull();
        } else {
            out.writeStartArray();
            for (StatsSample.BlkioEntry entry : sample.ioServiceBytes()) {
                out.writeStartObject();
                out.writeNumberField("major", entry.major());
                out.writeNumberField("minor", entry.minor());
                out.writeStringField("op", entry.op());
                out.writeNumberField("value", entry.value());
                out.writeEndObject();
            }
            out.writeEndArray();
        }
        for (String unread : BLKIO_UNREAD) {
            out.writeNullField(unread);
        }
        out.writeEndObject();
        out.writeNumberField("num_procs", 0);
        out.writeObjectFieldStart("storage_stats");
        out.writeEndObject();
        out.writeFieldName("cpu_stats");
        cpu(out, sample);
        out.writeFieldName("precpu_stats");
        if (previous == null) {
            emptyCpu(out);
        } else {
            cpu(out, previous);
        }
        out.writeObjectFieldStart("memory_stats");
        if (sample.running()) {
            out.writeNumberField("usage", sample.memoryUsage());
            if (sample.memoryMaxUsage() > 0) {
                out.writeNumberField("max_usage", sample.memoryMaxUsage());
            }
            out.writeObjectFieldStart("stats");
            for (Map.Entry<String, Long> counter : sample.memoryStats().entrySet()) {
                out.writeNumberField(counter.getKey(), counter.getValue());
            }
            out.writeEndObject();
            out.writeNumberField("limit", sample.memoryLimit());
        }
        out.writeEndObject();
        if (!sample.networks().isEmpty()) {
            out.writeObjectFieldStart("networks");
            for (Map.Entry<String, StatsSample.NetworkCounters> entry : sample.networks().entrySet()) {
                StatsSample.NetworkCounters n = entry.getValue();
                out.writeObjectFieldStart(entry.getKey());
                out.writeNumberField("rx_bytes", n.rxBytes());
                out.writeNumberField("rx_packets", n.rxPackets());
                out.writeNumberField("rx_errors", n.rxErrors());
                out.writeNumberField("rx_dropped", n.rxDropped());
                out.writeNumberField("tx_bytes", n.txBytes());
                out.writeNumberField("tx_packets", n.txPackets());
                out.writeNumberField("tx_errors", n.txErrors());
                out.writeNumberField("tx_dropped", n.txDropped());
                out.writeEndObject();
            }
            out.writeEndObject();
        }
        out.writeEndObject();
    }

    private static void cpu(JsonGenerator out, StatsSample sample) throws IOException {
        out.writeStartObject();
        out.writeObjectFieldStart("cpu_usage");
        out.writeNumberField("total_usage", sample.cpuTotalNanos());
        if (!sample.perCpuNanos().isEmpty()) {
            out.writeArrayFieldStart("percpu_usage");
            for (long nanos : sample.perCpuNanos()) {
                out.writeNumber(nanos);
            }
            out.writeEndArray();
        }
        out.writeNumberField("usage_in_kernelmode", sample.cpuKernelNanos());
        out.writeNumberField("usage_in_usermode", sample.cpuUserNanos());
        out.writeEndObject();
        out.writeNumberField("system_cpu_usage", sample.systemCpuNanos());
        out.writeNumberField("online_cpus", sample.onlineCpus());
        throttling(out);
        out.writeEndObject();
    }

    private static void emptyCpu(JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeObjectFieldStart("cpu_usage");
        out.writeNumberField("total_usage", 0);
        out.writeNumberField("usage_in_kernelmode", 0);
        out.writeNumberField("usage_in_usermode", 0);
        out.writeEndObject();
        throttling(out);
        out.writeEndObject();
    }

    private static void throttling(JsonGenerator out) throws IOException {
        out.writeObjectFieldStart("throttling_data");
        out.writeNumberField("periods", 0);
        out.writeNumberField("throttled_periods", 0);
        out.writeNumberField("throttled_time", 0);
        out.writeEndObject();
    }

    private static String time(long unixNanos) {
        return NANOS.format(Instant.ofEpochSecond(unixNanos / 1_000_000_000L, unixNanos % 1_000_000_000L));
    }
}
