package dev.berth.api.router;

/** The routes of one noun (containers, images, …), registered on the router at start. */
public interface RouteGroup {
    void register(ApiRouter router);
}
