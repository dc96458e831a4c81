package dev.berth.api.system;

import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import java.util.List;

/**
 * Swarm mode, which Berth does not serve, answered the way dockerd answers on a node that is in
 * no swarm: 503 with dockerd's messages, which clients (docker-py, Portainer) key on. Never a
 * 404 "page not found", which would tell a client that the daemon is not a Docker engine.
 */
public final class SwarmRoutes implements RouteGroup {
    static final String NOT_A_MANAGER = "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\""
            + " to connect this node to swarm and try again.";
    static final String NOT_IN_A_SWARM = "This node is not part of a swarm";
    static final String NO_SWARM_MODE = "Berth does not support swarm mode, so this node cannot create or join a swarm";

    /** The objects only a swarm manager holds; every call on them needs an active manager. */
    private static final List<String> MANAGER_OBJECTS = List.of("/services", "/nodes", "/tasks", "/secrets", "/configs");

    @Override
    public void register(ApiRouter router) {
        router.get("/swarm", SwarmRoutes::notAManager);
        router.post("/swarm/update", SwarmRoutes::notAManager);
        router.get("/swarm/unlockkey", SwarmRoutes::notAManager);
        router.post("/swarm/unlock", SwarmRoutes::notAManager);
        // dockerd's leave checks membership first, and a node in no swarm says so.
        router.post("/swarm/leave", r -> unavailable(r, NOT_IN_A_SWARM));
        // dockerd would start a swarm here; Berth has none to start, and says so plainly.
        router.post("/swarm/init", r -> unavailable(r, NO_SWARM_MODE));
        router.post("/swarm/join", r -> unavailable(r, NO_SWARM_MODE));
        for (String objects : MANAGER_OBJECTS) {
            // One path pattern per method covers create, inspect, update, logs and removal.
            String one = objects + "/{rest:.*}";
            router.get(objects, SwarmRoutes::notAManager);
            router.get(one, SwarmRoutes::notAManager);
            router.post(one, SwarmRoutes::notAManager);
            router.delete(one, SwarmRoutes::notAManager);
        }
    }

    private static void notAManager(ApiRequest request) {
        unavailable(request, NOT_A_MANAGER);
    }

    private static void unavailable(ApiRequest request, String message) {
        request.fail(new EngineException(ErrorKind.UNAVAILABLE, message));
    }
}
