package dev.berth.api.system;

import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Managed plugins, which Berth has none of: the list is empty, a named plugin is not found, as
 * dockerd answers for a plugin it does not have, and installing or creating one is refused.
 */
public final class PluginRoutes implements RouteGroup {
    /** The filters dockerd accepts on GET /plugins. */
    private static final Set<String> FILTERS = Set.of("enabled", "capability");

    @Override
    public void register(ApiRouter router) {
        router.get("/plugins", PluginRoutes::list);
        router.get("/plugins/privileges", r -> unsupported(r, "install"));
        router.post("/plugins/pull", r -> unsupported(r, "install"));
        router.post("/plugins/create", r -> unsupported(r, "create"));
        router.get("/plugins/{name:.*}/json", PluginRoutes::notFound);
        router.delete("/plugins/{name:.*}", PluginRoutes::notFound);
        for (String action : new String[] {"enable", "disable", "upgrade", "push", "set"}) {
            router.post("/plugins/{name:.*}/" + action, PluginRoutes::notFound);
        }
    }

    private static void list(ApiRequest request) {
        Map<String, List<String>> filters = request.filters();
        for (String key : filters.keySet()) {
            if (!FILTERS.contains(key)) {
                throw EngineException.invalid("invalid filter '" + key + "'");
            }
        }
        for (String enabled : filters.getOrDefault("enabled", List.of())) {
            if (!"true".equals(enabled) && !"false".equals(enabled)) {
                throw EngineException.invalid("invalid filter 'enabled=" + enabled + "'");
            }
        }
        request.json(200, new JsonArray());
    }

    private static void notFound(ApiRequest request) {
        request.fail(EngineException.notFound("plugin " + quoted(request.path("name")) + " not found"));
    }

    private static void unsupported(ApiRequest request, String what) {
        request.fail(new EngineException(ErrorKind.NOT_IMPLEMENTED, "Berth does not support managed plugins: cannot " + what
                + " a plugin"));
    }

    /** The name in double quotes, as dockerd prints it. */
    static String quoted(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
