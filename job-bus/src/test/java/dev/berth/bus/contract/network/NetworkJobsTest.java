package dev.berth.bus.contract.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Job;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobCodec;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.Locality;
import dev.berth.bus.WorkerKind;
import dev.berth.bus.local.LocalJobBus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The network jobs' records on the wire, and the typed client against a typed worker on a real local bus. */
class NetworkJobsTest {
    private static final String ID = "0123456789abcdef".repeat(4);

    private Vertx vertx;
    private JobBus bus;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        bus = new LocalJobBus(vertx, "n1");
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void serve(JobRoutes routes) throws Exception {
        await(vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                return bus.serve(WorkerKind.NETWORK, routes);
            }
        }));
    }

    @Test
    void sandboxJobsKeepTheWireNamesAndFieldsThatJsonCallersSend() throws Exception {
        assertThat(NetworkJobTypes.SANDBOX_CREATE.name()).isEqualTo("network.sandbox.create");
        assertThat(NetworkJobTypes.SANDBOX_REMOVE.name()).isEqualTo("network.sandbox.remove");
        assertThat(NetworkJobTypes.SANDBOX_CREATE.locality()).isEqualTo(Locality.NODE_LOCAL);
        assertThat(NetworkJobTypes.SANDBOX_REMOVE.locality()).isEqualTo(Locality.NODE_LOCAL);
        assertThat(NetworkJobTypes.LIST.locality()).isEqualTo(Locality.ANY_NODE);
        assertThat(NetworkJobTypes.CREATE.name()).isEqualTo("network.create");
        assertThat(NetworkJobTypes.CREATE.locality()).isEqualTo(Locality.NODE_LOCAL);
        assertThat(JobCodec.encode(new SandboxRequest(ID, "none")))
                .isEqualTo(new JsonObject().put("containerId", ID).put("containerName", "").put("mode", "none").put("portBindings", new JsonObject())
                        .put("publishAllPorts", false).put("exposedPorts", new io.vertx.core.json.JsonArray())
                        .put("aliases", new io.vertx.core.json.JsonArray()));

        serve(new JobRoutes()
                .on(NetworkJobTypes.SANDBOX_CREATE, request -> Future.succeededFuture(
                        new Sandbox("host".equals(request.mode()) ? null : "/run/berth/netns/" + request.containerId(), List.of())))
                .on(NetworkJobTypes.SANDBOX_REMOVE, request -> Future.succeededFuture()));
        // A caller that still speaks JSON, as the exec worker does today.
        JsonObject reply = await(bus.request(Job.of("network.sandbox.create", new JsonObject().put("containerId", ID).put("mode", "none"))));
        assertThat(reply).isEqualTo(new JsonObject().put("netnsPath", "/run/berth/netns/" + ID).put("endpoints", new io.vertx.core.json.JsonArray()));
        assertThat(await(bus.request(Job.of("network.sandbox.create", new JsonObject().put("containerId", ID).put("mode", "host")))))
                .isEqualTo(new JsonObject().put("endpoints", new io.vertx.core.json.JsonArray()));

        NetworkJobs jobs = NetworkJobs.over(bus);
        assertThat(await(jobs.createSandbox(new SandboxRequest(ID, "bridge"))).netnsPath()).isEqualTo("/run/berth/netns/" + ID);
        assertThat(await(jobs.createSandbox(new SandboxRequest(ID, "host"))).netnsPath()).isNull();
        assertThat(await(jobs.removeSandbox(new RemoveSandbox(ID)))).isNull();
    }

    @Test
    void listAndInspectCarryTheViewWhole() throws Exception {
        NetworkView bridge = new NetworkView("b".repeat(64), "bridge", "bridge", "local", "2026-12-01T22:00:00.123456789Z",
                false, false, List.of(new IpamConfig("172.17.0.0/16", "172.17.0.1")),
                Map.of("com.docker.network.bridge.name", "berth0"), Map.of("team", "a"));
        serve(new JobRoutes()
                .on(NetworkJobTypes.LIST, args -> Future.succeededFuture(new NetworkList(
                        args.filters().containsKey("name") ? List.of() : List.of(bridge))))
                .on(NetworkJobTypes.INSPECT, args -> Future.succeededFuture(bridge)));
        NetworkJobs jobs = NetworkJobs.over(bus);
        assertThat(await(jobs.list(new ListNetworks(Map.of("driver", List.of("bridge"))))).networks()).containsExactly(bridge);
        assertThat(await(jobs.list(new ListNetworks(Map.of("name", List.of("x"))))).networks()).isEmpty();
        assertThat(await(jobs.inspect(InspectNetwork.of("bridge")))).isEqualTo(bridge);
    }
}
