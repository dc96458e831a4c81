package dev.berth.api.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.router.ApiRouter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Swarm and plugin calls answer as dockerd does on a node in no swarm and with no plugins. */
class UnservedRoutesTest {
    private Vertx vertx;
    private HttpClient client;
    private Context clientContext;
    private int port;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        ApiRouter api = new ApiRouter(null, Map.of());
        new SwarmRoutes().register(api);
        new PluginRoutes().register(api);
        new NotYetRoutes().register(api);
        port = await(vertx.createHttpServer().requestHandler(api).listen(0, "127.0.0.1")).actualPort();
        clientContext = vertx.getOrCreateContext();
        client = vertx.createHttpClient();
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private record Answer(int status, String body) {
        String message() {
            return new JsonObject(body).getString("message");
        }
    }

    private Answer call(HttpMethod method, String uri) throws Exception {
        // Composed on one event loop: from the test's thread the body could be asked for too late.
        Promise<Answer> answer = Promise.promise();
        clientContext.runOnContext(v -> client.request(method, port, "127.0.0.1", uri).compose(request -> request.send())
                .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body.toString())))
                .onComplete(answer));
        return await(answer.future());
    }

    @Test
    void swarmManagerCallsAre503WithDockerdsMessage() throws Exception {
        String[][] calls = {
            {"GET", "/v1.51/swarm"}, {"POST", "/swarm/update?version=1"}, {"GET", "/swarm/unlockkey"}, {"POST", "/swarm/unlock"},
            {"GET", "/services"}, {"GET", "/v1.51/services?status=true"}, {"POST", "/services/create"}, {"GET", "/services/web"},
            {"POST", "/services/web/update"}, {"GET", "/services/web/logs"}, {"DELETE", "/services/web"},
            {"GET", "/nodes"}, {"GET", "/nodes/self"}, {"POST", "/nodes/n1/update"}, {"DELETE", "/nodes/n1"},
            {"GET", "/tasks"}, {"GET", "/tasks/t1"}, {"GET", "/tasks/t1/logs"},
            {"GET", "/secrets"}, {"POST", "/secrets/create"}, {"GET", "/secrets/s1"}, {"DELETE", "/secrets/s1"},
            {"GET", "/configs"}, {"POST", "/configs/create"}, {"POST", "/configs/c1/update"}, {"DELETE", "/configs/c1"},
        };
        for (String[] call : calls) {
            Answer answer = call(HttpMethod.valueOf(call[0]), call[1]);
            assertThat(answer.status()).as(call[0] + " " + call[1]).isEqualTo(503);
            assertThat(answer.message()).as(call[0] + " " + call[1]).isEqualTo("This node is not a swarm manager. "
                    + "Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.");
        }
    }

    @Test
    void leavingIsRefusedAsByANodeInNoSwarmAndJoiningIsRefusedPlainly() throws Exception {
        Answer leave = call(HttpMethod.POST, "/swarm/leave?force=1");
        assertThat(leave.status()).isEqualTo(503);
        assertThat(leave.message()).isEqualTo("This node is not part of a swarm");
        for (String uri : new String[] {"/swarm/init", "/swarm/join"}) {
            Answer answer = call(HttpMethod.POST, uri);
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.message()).contains("does not support swarm mode");
        }
    }

    @Test
    void thereAreNoPlugins() throws Exception {
        Answer list = call(HttpMethod.GET, "/v1.51/plugins");
        assertThat(list.status()).isEqualTo(200);
        assertThat(new JsonArray(list.body())).isEmpty();
        assertThat(call(HttpMethod.GET, "/plugins?filters=%7B%22enabled%22%3A%7B%22true%22%3Atrue%7D%7D").status()).isEqualTo(200);
        Answer badFilter = call(HttpMethod.GET, "/plugins?filters=%7B%22color%22%3A%7B%22red%22%3Atrue%7D%7D");
        assertThat(badFilter.status()).isEqualTo(400);
        assertThat(badFilter.message()).isEqualTo("invalid filter 'color'");
        Answer inspect = call(HttpMethod.GET, "/plugins/vieux/sshfs:latest/json");
        assertThat(inspect.status()).isEqualTo(404);
        assertThat(inspect.message()).isEqualTo("plugin \"vieux/sshfs:latest\" not found");
        assertThat(call(HttpMethod.DELETE, "/plugins/x").message()).isEqualTo("plugin \"x\" not found");
        assertThat(call(HttpMethod.POST, "/plugins/x/enable").status()).isEqualTo(404);
        assertThat(call(HttpMethod.POST, "/plugins/x/disable").status()).isEqualTo(404);
        Answer install = call(HttpMethod.GET, "/plugins/privileges?remote=vieux/sshfs");
        assertThat(install.status()).isEqualTo(501);
        assertThat(install.message()).contains("does not support managed plugins");
    }

    @Test
    void whatBerthDoesNotServeYetIs501NamingTheCommand() throws Exception {
        String[][] calls = {
            {"GET", "/distribution/busybox/json", "registries"},
        };
        for (String[] call : calls) {
            Answer answer = call(HttpMethod.valueOf(call[0]), call[1]);
            assertThat(answer.status()).as(call[0] + " " + call[1]).isEqualTo(501);
            assertThat(answer.message()).isEqualTo("berth does not support " + call[2] + " yet");
        }
    }
}
