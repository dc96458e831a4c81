package dev.berth.api.network;

import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.JobBus;

/** Network routes: list and inspect. */
public final class NetworkRoutes implements RouteGroup {
    private final JobBus bus;

    public NetworkRoutes(JobBus bus) {
        this.bus = bus;
    }

    @Override
    public void register(ApiRouter router) {
    }

    JobBus bus() {
        return bus;
    }
}
