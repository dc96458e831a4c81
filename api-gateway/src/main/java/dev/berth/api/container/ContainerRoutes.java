package dev.berth.api.container;

import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.JobBus;

/** Container routes: create, start, attach, wait, inspect, list, stop, kill, remove. */
public final class ContainerRoutes implements RouteGroup {
    private final JobBus bus;

    public ContainerRoutes(JobBus bus) {
        this.bus = bus;
    }

    @Override
    public void register(ApiRouter router) {
    }

    JobBus bus() {
        return bus;
    }
}
