package dev.berth.api.system;

import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;

/**
 * The parts of Docker's API that Berth does not serve yet, each answered with 501 and a message
 * that names the docker command, so that a client reads "berth does not support cancelling a
 * build yet" rather than "page not found", which reads as a broken daemon. A feature that lands takes
 * its routes from here.
 */
public final class NotYetRoutes implements RouteGroup {
    @Override
    public void register(ApiRouter router) {
        notYet(router, "registries", "GET", "/distribution/{name:.*}/json");
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
}
