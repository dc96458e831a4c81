package dev.berth.api.dashboard;

import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.EngineException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard at /berth/ui: plain HTML, CSS and JavaScript from the jar, read once when the
 * gateway starts (a few KiB), so that serving them touches no disk. The page talks to the Engine
 * API and to the log and events WebSockets like any other client.
 */
public final class DashboardRoutes implements RouteGroup {
    private record Asset(String contentType, Buffer content) {
    }

    private final Map<String, Asset> assets = Map.of(
            "index.html", load("index.html", "text/html; charset=utf-8"),
            "app.js", load("app.js", "text/javascript; charset=utf-8"),
            "style.css", load("style.css", "text/css; charset=utf-8"));

    @Override
    public void register(ApiRouter router) {
        router.get("/berth/ui", request -> serve(request, "index.html"));
        router.get("/berth/ui/{file}", request -> serve(request, request.path("file")));
    }

    private void serve(ApiRequest request, String name) {
        Asset asset = assets.get(name);
        if (asset == null) {
            throw EngineException.notFound("no such file in the dashboard: " + name);
        }
        request.response().setStatusCode(200).putHeader("Content-Type", asset.contentType())
                .putHeader("Cache-Control", "no-cache").end(asset.content());
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + name + " is missing from the jar");
            }
            return new Asset(contentType, Buffer.buffer(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
