package dev.berth.api.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiRouterTest {
    private Vertx vertx;
    private HttpClient client;
    private int port;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        ApiRouter router = new ApiRouter(null, Map.of("Api-Version", "1.51"));
        router.get("/images/json", r -> r.json(200, new JsonObject().put("route", "list")));
        router.get("/images/{name:.*}/json", r -> r.json(200, new JsonObject().put("name", r.path("name")).put("v", r.version().toString())));
        router.delete("/containers/{id}", r -> r.json(200, new JsonObject().put("id", r.path("id"))));
        router.get("/boom", r -> {
            throw new IllegalStateException("kaboom");
        });
        HttpServer server = vertx.createHttpServer().requestHandler(router);
        port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        client = vertx.createHttpClient();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private record Answer(int status, String contentType, String apiVersion, String body) {
    }

    private Answer call(HttpMethod method, String uri) throws Exception {
        return client.request(method, port, "127.0.0.1", uri)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> new Answer(response.statusCode(),
                        response.getHeader("Content-Type"), response.getHeader("Api-Version"), body.toString())))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void routesAnswerVersionedAndUnversioned() throws Exception {
        Answer versioned = call(HttpMethod.GET, "/v1.41/images/localhost%3A5000/team/app:1.0/json");
        assertThat(versioned.status()).isEqualTo(200);
        assertThat(new JsonObject(versioned.body()).getString("name")).isEqualTo("localhost:5000/team/app:1.0");
        assertThat(new JsonObject(versioned.body()).getString("v")).isEqualTo("1.41");
        Answer plain = call(HttpMethod.GET, "/images/busybox/json");
        assertThat(new JsonObject(plain.body()).getString("v")).isEqualTo("1.51");
        assertThat(plain.apiVersion()).isEqualTo("1.51");
        assertThat(new JsonObject(call(HttpMethod.GET, "/v1.51/images/json").body()).getString("route")).isEqualTo("list");
        assertThat(new JsonObject(call(HttpMethod.DELETE, "/containers/abc/").body()).getString("id")).isEqualTo("abc");
    }

    @Test
    void unknownRoutesAndMethodsAre404InJson() throws Exception {
        Answer missing = call(HttpMethod.GET, "/v1.51/nothing/here");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).isEqualTo("application/json");
        assertThat(new JsonObject(missing.body()).getString("message")).isEqualTo("page not found");
        assertThat(call(HttpMethod.POST, "/images/json").status()).isEqualTo(404);
    }

    @Test
    void versionsOutsideTheRangeAre400() throws Exception {
        Answer tooNew = call(HttpMethod.GET, "/v1.52/images/json");
        assertThat(tooNew.status()).isEqualTo(400);
        assertThat(new JsonObject(tooNew.body()).getString("message"))
                .isEqualTo("client version 1.52 is too new. Maximum supported API version is 1.51");
        assertThat(call(HttpMethod.GET, "/v1.23/images/json").status()).isEqualTo(400);
        assertThat(call(HttpMethod.GET, "/v1.24/images/json").status()).isEqualTo(200);
    }

    @Test
    void unexpectedFailuresAre500WithTheirMessage() throws Exception {
        Answer boom = call(HttpMethod.GET, "/boom");
        assertThat(boom.status()).isEqualTo(500);
        assertThat(new JsonObject(boom.body()).getString("message")).isEqualTo("kaboom");
    }

    @Test
    void pathValuesArePercentDecoded() {
        assertThat(ApiRouter.percentDecode("localhost%3A5000%2Fteam%2Fapp%3A1.0")).isEqualTo("localhost:5000/team/app:1.0");
        assertThat(ApiRouter.percentDecode("a+b%20c%C3%A9")).isEqualTo("a+b cé");
        assertThat(ApiRouter.percentDecode("plain")).isEqualTo("plain");
    }
}
