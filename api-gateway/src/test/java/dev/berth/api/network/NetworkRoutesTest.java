package dev.berth.api.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.router.ApiRouter;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.WorkerKind;
import dev.berth.bus.contract.network.InspectNetwork;
import dev.berth.bus.contract.network.IpamConfig;
import dev.berth.bus.contract.network.ListNetworks;
import dev.berth.bus.contract.network.NetworkJobTypes;
import dev.berth.bus.contract.network.NetworkList;
import dev.berth.bus.contract.network.NetworkView;
import dev.berth.bus.local.LocalJobBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real NetworkRoutes behind the real ApiRouter on an HTTP server, with a fake network worker
 * on the bus. The fixtures under samples/v1.51/networks are dockerd 28's output for the host and
 * bridge networks, written after moby's network.Inspect and buildIPAMResources (no dockerd runs
 * on the project's machines to capture them).
 */
class NetworkRoutesTest {
    private static final NetworkView HOST = new NetworkView(
            "a4c1c5ab2ba3bc3e3ec5bc80ab9d8b6b9f6b8e9f1e36f4bd1d4dc5e4e3f5a1b2", "host", "host", "local",
            "2025-06-02T09:12:44.521034513Z", false, false, List.of(), Map.of(), Map.of());
    private static final NetworkView BRIDGE = new NetworkView(
            "f2de39df4171b0dc801e8002d1d999b77256983dfc63041c0f34030aa3977566", "bridge", "bridge", "local",
            "2025-06-02T09:12:44.609467702Z", false, false, List.of(new IpamConfig("172.17.0.0/16", "172.17.0.1")),
            Map.of("com.docker.network.bridge.default_bridge", "true", "com.docker.network.bridge.enable_icc", "true",
                    "com.docker.network.bridge.enable_ip_masquerade", "true",
                    "com.docker.network.bridge.host_binding_ipv4", "0.0.0.0", "com.docker.network.bridge.name", "docker0",
                    "com.docker.network.driver.mtu", "1500"),
            Map.of());

    private Vertx vertx;
    private int port;
    private final HttpClient client = HttpClient.newHttpClient();
    private volatile ListNetworks lastList;
    private volatile InspectNetwork lastInspect;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        JobBus bus = new LocalJobBus(vertx, "n1");
        await(vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                return bus.serve(WorkerKind.NETWORK, new JobRoutes()
                        .on(NetworkJobTypes.LIST, args -> {
                            lastList = args;
                            if (args.filters().containsKey("bogus")) {
                                return Future.failedFuture(EngineException.invalid("invalid filter 'bogus'"));
                            }
                            return Future.succeededFuture(new NetworkList(List.of(BRIDGE, HOST)));
                        })
                        .on(NetworkJobTypes.INSPECT, args -> {
                            lastInspect = args;
                            return switch (args.ref()) {
                                case "host" -> Future.succeededFuture(HOST);
                                case "bridge" -> Future.succeededFuture(BRIDGE);
                                default -> Future.failedFuture(EngineException.notFound("network " + args.ref() + " not found"));
                            };
                        }));
            }
        }));
        ApiRouter router = new ApiRouter(bus, Map.of("Api-Version", "1.51"));
        new NetworkRoutes(bus).register(router);
        HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        port = server.actualPort();
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String filters(String json) {
        return URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    private static JsonObject sample(String name) throws Exception {
        try (InputStream in = NetworkRoutesTest.class.getResourceAsStream("/samples/v1.51/networks/" + name)) {
            return new JsonObject(Buffer.buffer(in.readAllBytes()));
        }
    }

    private static String message(HttpResponse<String> response) {
        return new JsonObject(response.body()).getString("message");
    }

    @Test
    void inspectAnswersDockerdsShape() throws Exception {
        HttpResponse<String> host = get("/v1.51/networks/host");
        assertThat(host.statusCode()).isEqualTo(200);
        assertThat(host.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(new JsonObject(host.body())).isEqualTo(sample("inspect-host.json"));
        assertThat(host.body()).contains("\"Options\":null").contains("\"Config\":null");
        assertThat(new JsonObject(get("/networks/bridge").body())).isEqualTo(sample("inspect-bridge.json"));
    }

    @Test
    void inspectPassesTheScopeAndReadsVerboseAsDockerdDoes() throws Exception {
        assertThat(get("/networks/host?scope=local&verbose=true").statusCode()).isEqualTo(200);
        assertThat(lastInspect).isEqualTo(new InspectNetwork("host", "local"));
        assertThat(get("/networks/host?verbose=0").statusCode()).isEqualTo(200);
        assertThat(lastInspect).isEqualTo(new InspectNetwork("host", null));
        HttpResponse<String> badVerbose = get("/networks/host?verbose=maybe");
        assertThat(badVerbose.statusCode()).isEqualTo(400);
        assertThat(message(badVerbose)).isEqualTo("invalid value for verbose: maybe");
        HttpResponse<String> missing = get("/networks/nosuchnet");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(message(missing)).isEqualTo("network nosuchnet not found");
    }

    @Test
    void listRendersEveryNetworkTheWorkerAnswers() throws Exception {
        HttpResponse<String> response = get("/v1.51/networks");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonArray list = new JsonArray(response.body());
        assertThat(list).containsExactly(sample("inspect-bridge.json"), sample("inspect-host.json"));
        assertThat(lastList).isEqualTo(new ListNetworks(Map.of()));
    }

    @Test
    void listHandsBothFilterEncodingsToTheWorker() throws Exception {
        get("/networks?filters=" + filters("{\"label\":{\"a=b\":true},\"type\":{\"builtin\":true}}"));
        assertThat(lastList.filters()).isEqualTo(Map.of("label", List.of("a=b"), "type", List.of("builtin")));
        get("/networks?filters=" + filters("{\"label\":[\"a=b\",\"c\"]}"));
        assertThat(lastList.filters()).isEqualTo(Map.of("label", List.of("a=b", "c")));
    }

    @Test
    void listRefusesFiltersThatDoNotParseOrThatTheWorkerRefuses() throws Exception {
        lastList = null;
        HttpResponse<String> unparseable = get("/networks?filters=" + filters("{\"label\":\"x\"}"));
        assertThat(unparseable.statusCode()).isEqualTo(400);
        assertThat(message(unparseable)).startsWith("invalid filter");
        assertThat(lastList).as("nothing is listed with a filter that was not understood").isNull();
        HttpResponse<String> unknown = get("/networks?filters=" + filters("{\"bogus\":{\"1\":true}}"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(message(unknown)).isEqualTo("invalid filter 'bogus'");
    }
}
