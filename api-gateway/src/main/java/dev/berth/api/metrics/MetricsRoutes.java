package dev.berth.api.metrics;

import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.JobBus;
import dev.berth.bus.contract.container.ContainerJobs;
import dev.berth.bus.contract.container.ListContainers;
import java.util.Map;

/** GET /metrics in Prometheus' text format; the container gauges are counted just before. */
public final class MetricsRoutes implements RouteGroup {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final ContainerJobs containers;
    private final EngineMetrics metrics;

    public MetricsRoutes(JobBus bus, EngineMetrics metrics) {
        this.containers = ContainerJobs.over(bus);
        this.metrics = metrics;
    }

    @Override
    public void register(ApiRouter router) {
        router.get("/metrics", this::metrics);
    }

    private void metrics(ApiRequest request) {
        request.handled(containers.list(new ListContainers(true, -1, Map.of()))).onSuccess(list -> {
            metrics.containers(list.containers());
            request.response().setStatusCode(200).putHeader("Content-Type", CONTENT_TYPE).end(metrics.scrape());
        });
    }
}
