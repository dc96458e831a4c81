package dev.berth.api.container;

import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.JobBus;

/** GET /containers/{id}/logs: a logs.read stream job rendered in Docker's framing. */
public final class LogRoutes implements RouteGroup {
    private final JobBus bus;

    public LogRoutes(JobBus bus) {
        this.bus = bus;
    }

    @Override
    public void register(ApiRouter router) {
    }

    JobBus bus() {
        return bus;
    }
}
