package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** /metrics in Prometheus' text format: jobs, containers by state, log bytes written and sent, HTTP requests by route and code. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsIT {
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

    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(metrics);
        assertThat(m.find()).as("%s in:\n%s", series, metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** First: it counts starts and creates from zero. */
    @Test
    @Order(1)
    void metricsCountWhatTheEngineDid() throws Exception {
        berth.docker("run", "-d", "--name", "m-run", "busybox", "sh", "-c", "echo hello; sleep 60").ok();
        berth.docker("create", "--name", "m-created", "busybox", "true").ok();
        berth.docker("run", "--name", "m-exited", "busybox", "true").ok();
        assertThat(berth.docker("logs", "m-run").ok()).isEqualTo("hello\n");
        berth.docker("inspect", "no-such-thing");

        String raw = berth.rawRequest("GET", "/metrics", null, null);
        assertThat(raw).startsWith("HTTP/1.1 200").contains("Content-Type: text/plain; version=0.0.4");
        String metrics = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        assertThat(value(metrics, "berth_containers{state=\"running\"}")).isEqualTo(1);
        assertThat(value(metrics, "berth_containers{state=\"created\"}")).isEqualTo(1);
        assertThat(value(metrics, "berth_containers{state=\"exited\"}")).isEqualTo(1);
        assertThat(value(metrics, "berth_containers{state=\"paused\"}")).isZero();
        assertThat(value(metrics, "berth_jobs_seconds_count{outcome=\"ok\",type=\"container.start\"}")).isEqualTo(2);
        assertThat(value(metrics, "berth_jobs_seconds_sum{outcome=\"ok\",type=\"container.start\"}")).isPositive();
        assertThat(value(metrics, "berth_jobs_seconds_count{outcome=\"NOT_FOUND\",type=\"container.inspect\"}")).isPositive();
        assertThat(value(metrics, "berth_log_stream_bytes_total")).isGreaterThanOrEqualTo("hello\n".length());
        assertThat(value(metrics, "vertx_http_server_requests_total{code=\"201\",method=\"POST\",route=\"/containers/create\"}"))
                .isEqualTo(3);
        assertThat(value(metrics, "vertx_http_server_requests_total{code=\"404\",method=\"GET\",route=\"/containers/{id}/json\"}"))
                .isPositive();
        assertThat(metrics).containsPattern("(?m)^jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"\\} [0-9.eE+]+$");
        berth.docker("rm", "-f", "m-run", "m-created", "m-exited").ok();
    }

    private static String scrape() throws Exception {
        String raw = berth.rawRequest("GET", "/metrics", null, null);
        assertThat(raw).startsWith("HTTP/1.1 200");
        return raw.substring(raw.indexOf("\r\n\r\n") + 4);
    }

    /**
     * conmon writes the log files; the counter follows their growth, including what rotation
     * dropped and what removed containers wrote, and never goes back.
     */
    @Test
    @Order(2)
    void bytesWrittenToLogsAreCountedAcrossRotationsAndRemovals() throws Exception {
        String first = scrape();
        assertThat(first).contains("# TYPE berth_log_written_bytes_total counter");
        double before = value(first, "berth_log_written_bytes_total");

        int plain = 300 * 1024;
        berth.docker("run", "--name", "m-writer", "busybox", "sh", "-c", "head -c " + plain + " /dev/zero | tr '\\0' x").ok();
        double afterPlain = value(scrape(), "berth_log_written_bytes_total");
        assertThat(afterPlain - before).isGreaterThanOrEqualTo(plain);

        // Rotated with a single small file kept: most of what it writes is gone from the disk when it ends.
        int rotated = 1024 * 1024;
        berth.docker("run", "--name", "m-rotated", "--log-opt", "max-size=64k", "--log-opt", "max-file=2", "busybox", "sh", "-c",
                "yes 0123456789012345678901234567890123456789 | head -c " + rotated).ok();
        double afterRotated = value(scrape(), "berth_log_written_bytes_total");
        assertThat(afterRotated - afterPlain).isGreaterThanOrEqualTo(rotated);

        // Removed at its exit: counted before its files went.
        int removed = 100 * 1024;
        berth.docker("run", "--rm", "busybox", "sh", "-c", "head -c " + removed + " /dev/zero | tr '\\0' y").ok();
        berth.docker("rm", "m-writer", "m-rotated").ok();
        double afterRemovals = value(scrape(), "berth_log_written_bytes_total");
        assertThat(afterRemovals - afterRotated).isGreaterThanOrEqualTo(removed);
        System.out.printf("log bytes written: %.0f for %d written plain, %.0f for %d rotated, %.0f for %d removed with --rm%n",
                afterPlain - before, plain, afterRotated - afterPlain, rotated, afterRemovals - afterRotated, removed);
    }
}
