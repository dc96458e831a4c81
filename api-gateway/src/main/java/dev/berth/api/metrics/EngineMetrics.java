package dev.berth.api.metrics;

import dev.berth.bus.JobRecord;
import dev.berth.bus.contract.container.ContainerView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Berth's own meters, beside the ones Vert.x records (HTTP requests by route, method and code):
 * jobs by type and outcome with their latency, containers by state (counted at each scrape), the
 * bytes written to container logs (measured by the log worker at each scrape) and the bytes of
 * container logs sent to clients. One per daemon, on the registry Vert.x reports to.
 */
public final class EngineMetrics {
    /** Docker's container states; each is reported, at 0 when no container is in it. */
    static final List<String> STATES = List.of("created", "running", "paused", "restarting", "removing", "exited", "dead");

    private final PrometheusMeterRegistry registry;
    private final Map<String, AtomicLong> containers = new LinkedHashMap<>();
    private final Counter logBytes;
    private final AtomicLong logBytesWritten = new AtomicLong();

    public EngineMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        for (String state : STATES) {
            AtomicLong count = new AtomicLong();
            containers.put(state, count);
            Gauge.builder("berth.containers", count, AtomicLong::get).tag("state", state)
                    .description("Containers by state, as of the last scrape").register(registry);
        }
        // The daemon's heap, which a stalled client must not grow (jvm_memory_used_bytes{area="heap"}).
        new JvmMemoryMetrics().bindTo(registry);
        logBytes = Counter.builder("berth.log.stream.bytes").baseUnit("bytes")
                .description("Bytes of container logs sent to clients (docker logs, the log WebSocket)").register(registry);
        FunctionCounter.builder("berth.log.written", logBytesWritten, AtomicLong::get).baseUnit("bytes")
                .description("Bytes written to container log files since the log worker started (their growth, rotated files included),"
                        + " as of the last scrape").register(registry);
    }

    /** What the bus calls for each finished job. */
    public Consumer<JobRecord> jobRecorder() {
        return job -> Timer.builder("berth.jobs").description("Jobs by type and outcome, from sending to the reply")
                .tag("type", job.type()).tag("outcome", job.outcome())
                .register(registry).record(Duration.ofNanos(job.durationMicros() * 1000));
    }

    public void logBytesStreamed(long bytes) {
        logBytes.increment(bytes);
    }

    /** The log worker's total; it only grows, and an older answer never takes it back. */
    void logBytesWritten(long total) {
        logBytesWritten.accumulateAndGet(total, Math::max);
    }

    /** Sets the container gauges from a full list. */
    void containers(List<ContainerView> all) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (ContainerView view : all) {
            String state = view.state() == null || view.state().status() == null ? "created" : view.state().status();
            counts.merge(state, 1L, Long::sum);
        }
        containers.forEach((state, gauge) -> gauge.set(counts.getOrDefault(state, 0L)));
    }

    String scrape() {
        return registry.scrape();
    }
}
