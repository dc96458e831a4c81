package dev.berth.api.system;

import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import io.vertx.core.json.JsonObject;

/**
 * The parts of Docker's API that Berth does not serve yet, each answered with 501 and a message
 * that names the docker command, so that `docker exec` says "berth does not support docker exec
 * yet" rather than "page not found", which reads as a broken daemon. Where an honest answer
 * exists today it is given: there are no volumes until volumes can be made, so the list is
 * empty and any named volume is not found. A feature that lands takes its routes from here.
 */
public final class NotYetRoutes implements RouteGroup {
    @Override
    public void register(ApiRouter router) {
        notYet(router, "docker exec", "POST", "/containers/{id}/exec", "POST", "/exec/{id}/start", "POST", "/exec/{id}/resize",
                "GET", "/exec/{id}/json");
        notYet(router, "docker cp", "GET", "/containers/{id}/archive", "HEAD", "/containers/{id}/archive",
                "PUT", "/containers/{id}/archive");
        notYet(router, "docker top", "GET", "/containers/{id}/top");
        notYet(router, "docker stats", "GET", "/containers/{id}/stats");
        notYet(router, "docker update", "POST", "/containers/{id}/update");
        notYet(router, "docker rename", "POST", "/containers/{id}/rename");
        notYet(router, "docker pause", "POST", "/containers/{id}/pause");
        notYet(router, "docker unpause", "POST", "/containers/{id}/unpause");
        notYet(router, "WebSocket attach", "GET", "/containers/{id}/attach/ws");
        notYet(router, "docker container prune", "POST", "/containers/prune");
        notYet(router, "docker build", "POST", "/build", "POST", "/build/prune", "POST", "/build/cancel");
        notYet(router, "docker push", "POST", "/images/{name:.*}/push");
        notYet(router, "docker search", "GET", "/images/search");
        notYet(router, "docker network create", "POST", "/networks/create");
        notYet(router, "docker network connect", "POST", "/networks/{id}/connect");
        notYet(router, "docker network disconnect", "POST", "/networks/{id}/disconnect");
        notYet(router, "docker network prune", "POST", "/networks/prune");
        notYet(router, "docker volume create", "POST", "/volumes/create");
        notYet(router, "docker events", "GET", "/events");
        notYet(router, "docker login", "POST", "/auth");
        notYet(router, "registries", "GET", "/distribution/{name:.*}/json");

        router.get("/volumes", r -> r.json(200, new JsonObject().put("Volumes", new io.vertx.core.json.JsonArray())
                .put("Warnings", (Object) null)));
        router.get("/volumes/{name}", NotYetRoutes::noSuchVolume);
        router.put("/volumes/{name}", NotYetRoutes::noSuchVolume);
        router.delete("/volumes/{name}", NotYetRoutes::noSuchVolume);
        router.post("/volumes/prune", r -> r.json(200, new JsonObject().put("VolumesDeleted", (Object) null)
                .put("SpaceReclaimed", 0)));
    }

    /** Pairs of method and path, all answered with the same refusal. */
    private static void notYet(ApiRouter router, String command, String... methodsAndPaths) {
        for (int i = 0; i < methodsAndPaths.length; i += 2) {
            String path = methodsAndPaths[i + 1];
            ApiRouter.RouteHandler refuse = r -> r.fail(new EngineException(ErrorKind.NOT_IMPLEMENTED,
                    "berth does not support " + command + " yet"));
            switch (methodsAndPaths[i]) {
                case "GET" -> router.get(path, refuse);
                case "HEAD" -> router.head(path, refuse);
                case "POST" -> router.post(path, refuse);
                case "PUT" -> router.put(path, refuse);
                case "DELETE" -> router.delete(path, refuse);
                default -> throw new IllegalArgumentException(methodsAndPaths[i]);
            }
        }
    }

    /** dockerd's words for a volume that does not exist. */
    private static void noSuchVolume(ApiRequest request) {
        request.fail(EngineException.notFound("get " + request.path("name") + ": no such volume"));
    }
}
