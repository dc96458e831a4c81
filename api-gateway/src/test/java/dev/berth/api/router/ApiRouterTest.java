package dev.berth.api.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.stream.Hijack;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API's routes on Vert.x Web, over real HTTP: versions, path values, errors, bodies, hijack. */
class ApiRouterTest {
    private static final int BODY_LIMIT = 1024;
    private Vertx vertx;
    private HttpClient client;
    private io.vertx.core.Context clientContext;
    private int port;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        ApiRouter api = new ApiRouter(null, Map.of("Api-Version", "1.51")).jsonBodyLimit(BODY_LIMIT);
        api.get("/images/json", r -> r.json(200, new JsonObject().put("route", "list")));
        api.get("/images/{name:.*}/json", r -> r.json(200, new JsonObject().put("name", r.path("name"))
                .put("v", r.version().toString()).put("query", r.query("name")).put("tags", r.queryAll("tag"))));
        api.delete("/containers/{id}", r -> r.json(200, new JsonObject().put("id", r.path("id"))));
        api.post("/containers/{id}/rename", r -> r.json(200, new JsonObject().put("id", r.path("id")).put("name", r.query("name"))));
        api.post("/containers/create", r -> r.jsonBody().onSuccess(body -> r.json(201, body)).onFailure(r::fail));
        api.post("/containers/{id}/attach", r -> Hijack.take(r.http(), Hijack.RAW_STREAM).onSuccess(stream -> {
            stream.inputHandler(stream::write);
            stream.inputEndHandler(v -> stream.close());
        }));
        api.post("/images/load", this::countBodyLater);
        api.get("/boom", r -> {
            throw new IllegalStateException("kaboom");
        });
        api.get("/late-boom", r -> vertx.setTimer(10, t -> r.fail(new NullPointerException("late"))));
        Router router = api.installOn(Router.router(vertx));
        // Another surface on the same router, as the dashboard will be.
        Router dashboard = Router.router(vertx);
        dashboard.get("/hello").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain").end("hello"));
        router.route("/dashboard/*").subRouter(dashboard);
        HttpServer server = vertx.createHttpServer().requestHandler(router);
        port = await(server.listen(0, "127.0.0.1")).actualPort();
        clientContext = vertx.getOrCreateContext();
        client = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(1));
    }

    /** Like image load: pauses at once, reads the body only after some asynchronous work. */
    private void countBodyLater(ApiRequest r) {
        HttpServerRequest http = r.http();
        http.pause();
        AtomicLong bytes = new AtomicLong();
        vertx.setTimer(100, t -> {
            http.handler(chunk -> bytes.addAndGet(chunk.length()));
            http.endHandler(v -> r.json(200, new JsonObject().put("bytes", bytes.get())));
            http.resume();
        });
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * Runs a client exchange on one event loop: composed from the test's thread, the response's
     * body could be asked for only after it had arrived, and the call would hang.
     */
    private <T> T onLoop(java.util.function.Supplier<io.vertx.core.Future<T>> exchange) throws Exception {
        io.vertx.core.Promise<T> done = io.vertx.core.Promise.promise();
        clientContext.runOnContext(v -> exchange.get().onComplete(done));
        return await(done.future());
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private record Answer(int status, String contentType, String apiVersion, String body) {
        String message() {
            return new JsonObject(body).getString("message");
        }
    }

    private Answer call(HttpMethod method, String uri) throws Exception {
        return call(method, uri, null);
    }

    private Answer call(HttpMethod method, String uri, Buffer body) throws Exception {
        return onLoop(() -> client.request(method, port, "127.0.0.1", uri)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body().map(answer -> new Answer(response.statusCode(),
                        response.getHeader("Content-Type"), response.getHeader("Api-Version"), answer.toString()))));
    }

    @Test
    void routesAnswerVersionedAndUnversioned() throws Exception {
        Answer versioned = call(HttpMethod.GET, "/v1.41/images/localhost%3A5000/team/app:1.0/json");
        assertThat(versioned.status()).isEqualTo(200);
        assertThat(new JsonObject(versioned.body()).getString("name")).isEqualTo("localhost:5000/team/app:1.0");
        assertThat(new JsonObject(versioned.body()).getString("v")).isEqualTo("1.41");
        // Path values never show through as query values.
        assertThat(new JsonObject(versioned.body()).getString("query")).isNull();
        JsonObject queried = new JsonObject(call(HttpMethod.GET, "/images/x/json?name=q%2Bv&tag=a&tag=b").body());
        assertThat(queried.getString("name")).isEqualTo("x");
        assertThat(queried.getString("query")).isEqualTo("q+v");
        assertThat(queried.getJsonArray("tags").getList()).containsExactly("a", "b");
        Answer plain = call(HttpMethod.GET, "/images/busybox/json");
        assertThat(new JsonObject(plain.body()).getString("v")).isEqualTo("1.51");
        assertThat(plain.apiVersion()).isEqualTo("1.51");
        assertThat(new JsonObject(call(HttpMethod.GET, "/v1.51/images/json").body()).getString("route")).isEqualTo("list");
        assertThat(new JsonObject(call(HttpMethod.DELETE, "/containers/abc/").body()).getString("id")).isEqualTo("abc");
        assertThat(new JsonObject(call(HttpMethod.POST, "/v1.51/containers/abc/rename?name=new%2Fname").body()).getString("name"))
                .isEqualTo("new/name");
    }

    @Test
    void subRoutersShareTheRouterAndItsErrors() throws Exception {
        Answer hello = call(HttpMethod.GET, "/dashboard/hello");
        assertThat(hello.status()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("hello");
        assertThat(hello.apiVersion()).isEqualTo("1.51");
        Answer missing = call(HttpMethod.GET, "/dashboard/nothing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.message()).isEqualTo("page not found");
    }

    @Test
    void pathValuesHoldSlashesAndArePercentDecodedOnce() throws Exception {
        assertThat(new JsonObject(call(HttpMethod.GET, "/images/localhost%3A5000%2Fteam%2Fapp%3A1.0/json").body()).getString("name"))
                .isEqualTo("localhost:5000/team/app:1.0");
        assertThat(new JsonObject(call(HttpMethod.GET, "/images/a+b%20c%C3%A9/json").body()).getString("name")).isEqualTo("a+b cé");
        assertThat(new JsonObject(call(HttpMethod.GET, "/images/100%2525/json").body()).getString("name")).isEqualTo("100%25");
        // One segment only for {id}: a slash in it is another path, so no route.
        assertThat(call(HttpMethod.DELETE, "/containers/a/b").status()).isEqualTo(404);
        assertThat(new JsonObject(call(HttpMethod.DELETE, "/containers/a%2Fb").body()).getString("id")).isEqualTo("a/b");
    }

    @Test
    void badEscapesAre400InJson() throws Exception {
        Answer bad = call(HttpMethod.GET, "/images/bad%zzname/json");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).isEqualTo("application/json");
        assertThat(bad.message()).isEqualTo("invalid escape in request path");
    }

    @Test
    void unknownRoutesAndMethodsAre404InJson() throws Exception {
        Answer missing = call(HttpMethod.GET, "/v1.51/nothing/here");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).isEqualTo("application/json");
        assertThat(missing.apiVersion()).isEqualTo("1.51");
        assertThat(missing.message()).isEqualTo("page not found");
        Answer wrongMethod = call(HttpMethod.POST, "/images/json");
        assertThat(wrongMethod.status()).isEqualTo(404);
        assertThat(wrongMethod.message()).isEqualTo("page not found");
        assertThat(call(HttpMethod.GET, "/volumes").status()).isEqualTo(404);
    }

    @Test
    void versionsOutsideTheRangeAre400() throws Exception {
        Answer tooNew = call(HttpMethod.GET, "/v1.52/images/json");
        assertThat(tooNew.status()).isEqualTo(400);
        assertThat(tooNew.message()).isEqualTo("client version 1.52 is too new. Maximum supported API version is 1.51");
        Answer tooOld = call(HttpMethod.GET, "/v1.23/images/json");
        assertThat(tooOld.status()).isEqualTo(400);
        assertThat(tooOld.message()).isEqualTo("client version 1.23 is too old. Minimum supported API version is 1.24, "
                + "please upgrade your client to a newer version");
        // Checked before routing, as dockerd does: a bad version wins over an unknown path.
        assertThat(call(HttpMethod.GET, "/v1.99/nothing").status()).isEqualTo(400);
        assertThat(call(HttpMethod.GET, "/v1.24/images/json").status()).isEqualTo(200);
    }

    @Test
    void unexpectedFailuresAre500WithTheirMessageAndTheConnectionLives() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String boom = exchange(socket, "GET /boom HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(boom).startsWith("HTTP/1.1 500").contains("application/json").endsWith("{\"message\":\"kaboom\"}\n");
            String late = exchange(socket, "GET /late-boom HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(late).startsWith("HTTP/1.1 500").endsWith("{\"message\":\"late\"}\n");
            // Same connection, still serving.
            assertThat(exchange(socket, "GET /images/json HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200")
                    .contains("\"route\":\"list\"");
        }
    }

    @Test
    void jsonBodiesAreReadUpToTheLimitAndRefusedWith413Beyond() throws Exception {
        Answer small = call(HttpMethod.POST, "/containers/create", Buffer.buffer("{\"Image\":\"busybox\"}"));
        assertThat(small.status()).isEqualTo(201);
        assertThat(new JsonObject(small.body()).getString("Image")).isEqualTo("busybox");
        String big = "{\"Env\":\"" + "x".repeat(BODY_LIMIT) + "\"}";
        Answer declared = call(HttpMethod.POST, "/containers/create", Buffer.buffer(big));
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.message()).startsWith("request body is too large");
        Answer chunked = onLoop(() -> client.request(HttpMethod.POST, port, "127.0.0.1", "/containers/create").compose(request -> {
            request.setChunked(true);
            for (int i = 0; i < 4; i++) {
                request.write(big.substring(i * big.length() / 4, (i + 1) * big.length() / 4));
            }
            return request.end().compose(v -> request.response());
        }).compose(response -> response.body().map(b -> new Answer(response.statusCode(), response.getHeader("Content-Type"),
                null, b.toString()))));
        assertThat(chunked.status()).isEqualTo(413);
        Answer notJson = call(HttpMethod.POST, "/containers/create", Buffer.buffer("[1]"));
        assertThat(notJson.status()).isEqualTo(400);
    }

    @Test
    void streamingBodiesAreNotReadByTheRouter() throws Exception {
        byte[] tar = new byte[3 << 20];
        Answer loaded = call(HttpMethod.POST, "/images/load", Buffer.buffer(tar));
        assertThat(loaded.status()).isEqualTo(200);
        assertThat(new JsonObject(loaded.body()).getLong("bytes")).isEqualTo(tar.length);
    }

    @Test
    void attachIsHijackedThroughTheRouter() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1.51/containers/x/attach?stream=1&stdin=1 HTTP/1.1\r\nHost: api.moby.localhost\r\nContent-Length: 0\r\n"
                    + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101").contains("Upgrade: tcp").contains("Api-Version: 1.51");
            out.write("echo me".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("echo me");
        }
    }

    /** Sends one request and reads one response whose body has a Content-Length. */
    private static String exchange(Socket socket, String request) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String readHead(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
