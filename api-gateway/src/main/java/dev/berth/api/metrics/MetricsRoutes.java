package dev.berth.api.metrics;

import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.JobBus;
import dev.berth.bus.contract.container.ContainerJobs;
import dev.berth.bus.contract.container.ListContainers;
import dev.berth.bus.contract.logs.LogBytesWritten;
import dev.berth.bus.contract.logs.LogJobTypes;
import io.vertx.core.Future;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET /metrics in Prometheus' text format; the container gauges are counted, and the bytes written
 * to logs measured (by the log worker, on its threads), just before.
 */
public final class MetricsRoutes implements RouteGroup {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsRoutes.class);
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final JobBus bus;
    private final ContainerJobs containers;
    private final EngineMetrics metrics;

    public MetricsRoutes(JobBus bus, EngineMetrics metrics) {
        this.bus = bus;
        this.containers = ContainerJobs.over(bus);
        this.metrics = metrics;
    }

    @Override
    public void register(ApiRouter router) {
        router.get("/metrics", this::metrics);
    }

    private void metrics(ApiRequest request) {
        Future<LogBytesWritten> written = bus.call(LogJobTypes.WRITTEN, null);
        request.handled(containers.list(new ListContainers(true, -1, Map.of()))).onSuccess(list -> written.onComplete(ar -> {
            if (ar.succeeded()) {
                metrics.logBytesWritten(ar.result().bytes());
            } else {
                // The scrape still answers; the counter keeps its last value.
                LOG.warn("the bytes written to logs were not measured: {}", ar.cause().toString());
            }
            metrics.containers(list.containers());
            request.response().setStatusCode(200).putHeader("Content-Type", CONTENT_TYPE).end(metrics.scrape());
        }));
    }
}
