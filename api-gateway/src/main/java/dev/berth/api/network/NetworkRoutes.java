package dev.berth.api.network;

import dev.berth.bus.JsonFields;
import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.Job;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobTypes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Network routes: list and inspect (the predefined bridge, host and none for now). */
public final class NetworkRoutes implements RouteGroup {
    private final JobBus bus;

    public NetworkRoutes(JobBus bus) {
        this.bus = bus;
    }

    @Override
    public void register(ApiRouter router) {
        router.get("/networks", this::list);
        router.get("/networks/{id}", this::inspect);
    }

    private void list(ApiRequest r) {
        bus.request(Job.of(JobTypes.NETWORK_LIST, new JsonObject())).onComplete(ar -> {
            if (ar.failed()) {
                r.fail(ar.cause());
                return;
            }
            JsonObject filters = r.filters();
            JsonArray out = new JsonArray();
            for (Object item : JsonFields.array(ar.result(), "networks")) {
                JsonObject view = (JsonObject) item;
                if (matches(view, filters)) {
                    out.add(render(view));
                }
            }
            r.json(200, out);
        });
    }

    private static boolean matches(JsonObject view, JsonObject filters) {
        JsonArray names = filters.getJsonArray("name");
        JsonArray ids = filters.getJsonArray("id");
        JsonArray drivers = filters.getJsonArray("driver");
        return (names == null || names.stream().anyMatch(n -> view.getString("name").contains(String.valueOf(n))))
                && (ids == null || ids.stream().anyMatch(i -> view.getString("id").startsWith(String.valueOf(i))))
                && (drivers == null || drivers.contains(view.getString("driver")));
    }

    private void inspect(ApiRequest r) {
        bus.request(Job.of(JobTypes.NETWORK_INSPECT, new JsonObject().put("ref", r.path("id")))).onComplete(ar -> {
            if (ar.succeeded()) {
                r.json(200, render(ar.result()));
            } else {
                r.fail(ar.cause());
            }
        });
    }

    static JsonObject render(JsonObject view) {
        JsonArray config = new JsonArray();
        for (Object subnet : JsonFields.array(view, "subnets")) {
            JsonObject s = (JsonObject) subnet;
            config.add(new JsonObject().put("Subnet", s.getString("subnet")).put("Gateway", s.getString("gateway")));
        }
        return new JsonObject()
                .put("Name", view.getString("name"))
                .put("Id", view.getString("id"))
                .put("Created", view.getString("created"))
                .put("Scope", view.getString("scope", "local"))
                .put("Driver", view.getString("driver"))
                .put("EnableIPv4", true)
                .put("EnableIPv6", false)
                .put("IPAM", new JsonObject().put("Driver", "default").put("Options", (Object) null).put("Config", config))
                .put("Internal", view.getBoolean("internal", false))
                .put("Attachable", false)
                .put("Ingress", false)
                .put("ConfigFrom", new JsonObject().put("Network", ""))
                .put("ConfigOnly", false)
                .put("Containers", new JsonObject())
                .put("Options", JsonFields.object(view, "options"))
                .put("Labels", JsonFields.object(view, "labels"));
    }
}
