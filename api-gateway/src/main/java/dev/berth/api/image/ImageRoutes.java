package dev.berth.api.image;

import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.JobBus;

/** Image routes: load, list, inspect, tag, remove, save. */
public final class ImageRoutes implements RouteGroup {
    private final JobBus bus;

    public ImageRoutes(JobBus bus) {
        this.bus = bus;
    }

    @Override
    public void register(ApiRouter router) {
    }

    JobBus bus() {
        return bus;
    }
}
