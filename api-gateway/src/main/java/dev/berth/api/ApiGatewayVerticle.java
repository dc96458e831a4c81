package dev.berth.api;

import dev.berth.api.container.ArchiveRoutes;
import dev.berth.api.container.ContainerRoutes;
import dev.berth.api.container.LogRoutes;
import dev.berth.api.dashboard.DashboardRoutes;
import dev.berth.api.event.EventRoutes;
import dev.berth.api.image.CommitRoutes;
import dev.berth.api.image.DiskUsageRoutes;
import dev.berth.api.image.ImageRoutes;
import dev.berth.api.metrics.EngineMetrics;
import dev.berth.api.metrics.MetricsRoutes;
import dev.berth.api.network.NetworkRoutes;
import dev.berth.api.router.ApiRouter;
import dev.berth.api.router.HttpErrors;
import dev.berth.api.router.RouteGroup;
import dev.berth.api.system.NotYetRoutes;
import dev.berth.api.system.PluginRoutes;
import dev.berth.api.system.SwarmRoutes;
import dev.berth.api.system.SystemRoutes;
import dev.berth.api.volume.VolumeRoutes;
import dev.berth.api.websocket.WebSocketRoutes;
import dev.berth.bus.JobBus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves the Docker Engine API on each listen address; every call becomes jobs on the bus. */
public final class ApiGatewayVerticle extends VerticleBase {
    /** The longest request line (and header block) accepted, as Go's http.DefaultMaxHeaderBytes. */
    static final int MAX_REQUEST_LINE = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(ApiGatewayVerticle.class);

    private final JobBus bus;
    private final GatewayOptions options;
    private final List<HttpServer> servers = new ArrayList<>();

    public ApiGatewayVerticle(JobBus bus, GatewayOptions options) {
        this.bus = bus;
        this.options = options;
    }

    /** Every noun's routes; one group per noun, each talking only to the bus. */
    private List<RouteGroup> routeGroups() {
        EventRoutes events = new EventRoutes(bus);
        EngineMetrics metrics = options.metrics();
        List<RouteGroup> groups = new ArrayList<>(List.of(
                new SystemRoutes(bus, options.engineFacts(), events::listeners),
                events,
                new WebSocketRoutes(bus, metrics),
                new DashboardRoutes(),
                new ContainerRoutes(bus),
                new LogRoutes(bus, metrics),
                new ArchiveRoutes(bus),
                new ImageRoutes(bus),
                new CommitRoutes(bus),
                new DiskUsageRoutes(bus),
                new NetworkRoutes(bus),
                new VolumeRoutes(bus),
                new SwarmRoutes(),
                new PluginRoutes(),
                new NotYetRoutes()));
        if (metrics != null) {
            groups.add(new MetricsRoutes(bus, metrics));
        }
        return groups;
    }

    @Override
    public Future<?> start() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Api-Version", dev.berth.api.router.ApiVersion.MAX.toString());
        headers.put("Docker-Experimental", "false");
        headers.put("Ostype", "linux");
        headers.put("Server", "Docker/" + EngineVersion.DOCKER_COMPATIBLE + " (linux) Berth/" + EngineVersion.BERTH);
        ApiRouter api = new ApiRouter(bus, headers);
        for (RouteGroup group : routeGroups()) {
            group.register(api);
        }
        // One router for every listener; WebSocket and dashboard routes join it as sub-routers.
        Router router = api.installOn(Router.router(vertx));
        List<Future<?>> listening = new ArrayList<>();
        for (ListenAddress address : options.listen()) {
            listening.add(listen(address, router));
        }
        return Future.all(listening);
    }

    private Future<?> listen(ListenAddress address, Router router) {
        // Netty's default 4 KiB request line cuts off long filters and names with a bodiless 414;
        // dockerd (Go's net/http) takes up to 1 MiB of head, and clients send filters that long.
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setIdleTimeout(0)
                .setMaxInitialLineLength(MAX_REQUEST_LINE).setMaxHeaderSize(MAX_REQUEST_LINE));
        server.requestHandler(router).invalidRequestHandler(HttpErrors::invalidRequest);
        servers.add(server);
        if (!address.isUnix()) {
            return server.listen(address.port(), address.host())
                    .onSuccess(s -> LOG.info("API listening on {}", address));
        }
        // The server listens on a hidden name and the socket gets its real name only once listen
        // has completed: a client that connected while Vert.x was still binding (clients poll the
        // path while berthd starts) had its request dropped by the metrics, which were not set up
        // for that connection yet, and waited forever.
        Path socket = Path.of(address.unixPath());
        Path binding = socket.resolveSibling("." + socket.getFileName() + ".binding");
        return vertx.executeBlocking(() -> {
            prepareSocketPath(socket);
            Files.deleteIfExists(binding);
            return null;
        }).compose(v -> server.listen(SocketAddress.domainSocketAddress(binding.toString())))
                .compose(s -> vertx.executeBlocking(() -> {
                    Files.setPosixFilePermissions(binding, PosixFilePermissions.fromString("rw-rw----"));
                    Files.move(binding, socket, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    return null;
                }))
                .onSuccess(v -> LOG.info("API listening on {}", address));
    }

    /** Removes a stale socket, but never one another daemon is still serving. */
    private static void prepareSocketPath(Path socket) throws IOException {
        Files.createDirectories(socket.getParent());
        if (Files.exists(socket)) {
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                probe.connect(UnixDomainSocketAddress.of(socket));
                throw new IOException("another daemon is already listening on " + socket);
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("another daemon")) {
                    throw e;
                }
                Files.delete(socket);
            }
        }
    }

    @Override
    public Future<?> stop() {
        List<Future<?>> closing = new ArrayList<>();
        for (HttpServer server : servers) {
            closing.add(server.close());
        }
        return Future.all(closing).andThen(ar -> {
            for (ListenAddress address : options.listen()) {
                if (address.isUnix()) {
                    try {
                        Files.deleteIfExists(Path.of(address.unixPath()));
                    } catch (IOException e) {
                        LOG.debug("could not remove {}", address, e);
                    }
                }
            }
        });
    }
}
