package dev.berth.api.image;

import dev.berth.api.router.ApiRequest;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.RouteGroup;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobBus;
import dev.berth.bus.contract.container.ContainerJobs;
import dev.berth.bus.contract.container.AnnounceContainerEvent;
import dev.berth.bus.contract.container.CommitContainer;
import dev.berth.bus.contract.container.ContainerView;
import dev.berth.bus.contract.image.ContainerChanges;
import dev.berth.bus.contract.image.ContainerChangesRequest;
import dev.berth.bus.contract.image.ImageJobs;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * docker diff (GET /containers/{id}/changes), docker commit (POST /commit) and docker export
 * (GET /containers/{id}/export): the exec worker names the container and its config, the graph
 * worker reads its snapshot.
 *
 * <p>A commit is one job of the exec worker (container.commit), which pauses a running container
 * while its files are copied (unless {@code pause=0}) and unpauses it afterwards, as dockerd does.
 */
public final class CommitRoutes implements RouteGroup {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CommitRoutes.class);
    private final ContainerJobs containers;
    private final ImageJobs images;

    public CommitRoutes(JobBus bus) {
        this.containers = ContainerJobs.over(bus);
        this.images = ImageJobs.over(bus);
    }

    @Override
    public void register(ApiRouter router) {
        router.get("/containers/{id}/changes", this::changes);
        router.post("/commit", this::commit);
        router.get("/containers/{id}/export", this::export);
    }

    private void changes(ApiRequest request) {
        request.handled(containers.inspect(request.path("id"))
                .compose(view -> images.changes(new ContainerChangesRequest(view.id(), view.runtimeMountPoints()))))
                .onSuccess(changes -> {
                    JsonArray items = new JsonArray();
                    for (ContainerChanges.Change change : changes.changes()) {
                        items.add(new JsonObject().put("Path", change.path()).put("Kind", kind(change.kind())));
                    }
                    request.json(200, items);
                });
    }

    /** Docker's numbering: 0 modified, 1 added, 2 deleted. */
    private static int kind(ContainerChanges.Kind kind) {
        return switch (kind) {
            case MODIFIED -> 0;
            case ADDED -> 1;
            case DELETED -> 2;
        };
    }

    /**
     * The tar streams as the client reads it: the worker's stream pauses while the response is
     * full. A failure after the 200 resets the connection, so that a cut tar never reads as whole.
     */
    private void export(ApiRequest request) {
        request.handled(containers.inspect(request.path("id"))).onSuccess(view -> exportOf(request, view));
    }

    private void exportOf(ApiRequest request, ContainerView view) {
        request.handled(images.export(view.id()))
                .onSuccess(stream -> {
                    stream.end();
                    HttpServerResponse response = request.response();
                    if (response.closed()) {
                        stream.cancel();
                        return;
                    }
                    response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/x-tar");
                    response.closeHandler(v -> stream.cancel());
                    response.drainHandler(v -> stream.resume());
                    stream.handler(chunk -> {
                        response.write(chunk);
                        if (response.writeQueueFull()) {
                            stream.pause();
                        }
                    });
                    stream.exceptionHandler(failure -> response.reset());
                    stream.endHandler(v -> {
                        response.end();
                        announce(view.id(), "export", java.util.Map.of());
                    });
                });
    }

    /**
     * The exec worker publishes the container's event with its usual attributes. The work itself
     * has succeeded, so a failure to announce it (the container was removed meanwhile) is not the
     * client's error.
     */
    private void announce(String id, String action, java.util.Map<String, String> extra) {
        containers.announce(new AnnounceContainerEvent(id, action, extra)).onFailure(failure ->
                LOG.debug("the {} event of {} was not published: {}", action, id, failure.getMessage()));
    }

    private void commit(ApiRequest request) {
        String container = request.query("container");
        if (container == null || container.isEmpty()) {
            request.fail(EngineException.invalid("No container name or ID supplied"));
            return;
        }
        List<String> changes = request.queryAll("changes");
        request.handled(request.jsonBody().compose(body -> {
            if (!body.isEmpty()) {
                return io.vertx.core.Future.failedFuture(EngineException.invalid(
                        "berth does not support a Config in the commit request body yet; use --change"));
            }
            return containers.commit(new CommitContainer(container, request.bool("pause", true), changes,
                    request.query("comment"), request.query("author"), request.query("repo"), request.query("tag")));
        }))
                .onSuccess(committed -> request.json(201, new JsonObject().put("Id", committed.id())));
    }
}
