package dev.berth.api.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.router.ApiRouter;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobBus;
import dev.berth.bus.JobRoutes;
import dev.berth.bus.WorkerKind;
import dev.berth.bus.local.LocalJobBus;
import dev.berth.bus.stream.BlockingStreams;
import dev.berth.bus.stream.JobStream;
import dev.berth.bus.stream.StreamRecords;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real LogRoutes behind the real ApiRouter on an HTTP server, with a fake log worker on the bus. */
class LogRoutesTest {
    private static final long S = 1_000_000_000L;
    private static final int BIG_CHUNKS = 1024;
    private static final int BIG_PAYLOAD = BlockingStreams.CHUNK - 13;

    private Vertx vertx;
    private JobBus bus;
    private int port;
    private final HttpClient client = HttpClient.newHttpClient();
    private volatile JsonObject lastArgs;
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();
    private final AtomicLong bigWritten = new AtomicLong();

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        bus = new LocalJobBus(vertx, "n1");
        await(vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                return bus.serve(WorkerKind.LOGS, new JobRoutes().stream(dev.berth.bus.contract.logs.LogJobTypes.READ.name(), LogRoutesTest.this::fakeLogs));
            }
        }));
        ApiRouter router = new ApiRouter(bus, Map.of("Api-Version", "1.51"));
        new LogRoutes(bus).register(router);
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

    private static Buffer records(Object... streamTimeText) {
        Buffer chunk = Buffer.buffer();
        for (int i = 0; i < streamTimeText.length; i += 3) {
            byte[] text = ((String) streamTimeText[i + 2]).getBytes(StandardCharsets.UTF_8);
            StreamRecords.append(chunk, (Integer) streamTimeText[i], (Long) streamTimeText[i + 1], text, 0, text.length);
        }
        return chunk;
    }

    private Future<JsonObject> fakeLogs(dev.berth.bus.Job job, JobStream stream) {
        lastArgs = job.args();
        JsonObject accept = new JsonObject().put("tty", false);
        switch (job.args().getString("ref")) {
            case "missing":
                return Future.failedFuture(EngineException.notFound("No such container: missing"));
            case "plain":
                stream.write(records(1, 1 * S, "out\n", 2, 2 * S, "err\n"));
                stream.end();
                break;
            case "tty":
                stream.write(records(1, 1 * S, "a\r\n"));
                stream.end();
                accept.put("tty", true);
                break;
            case "long":
                stream.write(records(1, 1 * S, "hel"));
                stream.write(records(1, 1 * S, "lo\n", 2, 3 * S, "e\n"));
                stream.end();
                break;
            case "broken":
                stream.write(records(1, 1 * S, "partial output\n"));
                stream.fail(EngineException.internal("disk on fire", null));
                break;
            case "attrs":
                accept.put("attributes", new JsonObject().put("tier", "front").put("a b", "x&y"));
                stream.write(records(1, 1 * S, "hel"));
                stream.write(records(1, 1 * S, "lo\n", 1, 2 * S, "next\n"));
                stream.end();
                break;
            case "hold":
                stream.cancelHandler(v -> cancelled.complete(null));
                break;
            case "big":
                stream.cancelHandler(v -> cancelled.complete(null));
                new Thread(() -> {
                    byte[] payload = new byte[BIG_PAYLOAD];
                    java.util.Arrays.fill(payload, (byte) 'b');
                    try (OutputStream out = BlockingStreams.output(stream)) {
                        for (int i = 0; i < BIG_CHUNKS; i++) {
                            Buffer chunk = StreamRecords.append(Buffer.buffer(), 1, 0, payload, 0, payload.length);
                            out.write(chunk.getBytes());
                            bigWritten.addAndGet(payload.length);
                        }
                    } catch (Exception e) {
                        // cancelled
                    }
                }, "fake-log-writer").start();
                break;
            default:
                throw new IllegalArgumentException(job.args().getString("ref"));
        }
        return Future.succeededFuture(accept);
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] frame(int stream, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        return Buffer.buffer().appendByte((byte) stream).appendBytes(new byte[3]).appendInt(payload.length)
                .appendBytes(payload).getBytes();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void framesEachRecordAndSaysSoInTheContentType() throws Exception {
        HttpResponse<byte[]> response = get("/v1.51/containers/plain/logs?stdout=1&stderr=1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/vnd.docker.multiplexed-stream");
        assertThat(response.body()).isEqualTo(concat(frame(1, "out\n"), frame(2, "err\n")));
    }

    @Test
    void beforeApi142TheHeaderSaysRawButTheBodyIsStillFramed() throws Exception {
        HttpResponse<byte[]> response = get("/v1.41/containers/plain/logs?stdout=1&stderr=1");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/vnd.docker.raw-stream");
        assertThat(response.body()).isEqualTo(concat(frame(1, "out\n"), frame(2, "err\n")));
    }

    @Test
    void aTtyLogIsRawBytes() throws Exception {
        HttpResponse<byte[]> response = get("/containers/tty/logs?stdout=true&stderr=true");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/vnd.docker.raw-stream");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("a\r\n");
    }

    @Test
    void timestampsStartEachLineOnceEvenWhenALineSpansRecords() throws Exception {
        HttpResponse<byte[]> response = get("/containers/long/logs?stdout=1&stderr=1&timestamps=1");
        assertThat(response.body()).isEqualTo(concat(frame(1, "1970-01-01T00:00:01.000000000Z hel"), frame(1, "lo\n"),
                frame(2, "1970-01-01T00:00:03.000000000Z e\n")));
    }

    @Test
    void choosingNoStreamIsABadRequest() throws Exception {
        for (String query : new String[] {"", "?stdout=0&stderr=no", "?stdout=false&stderr=false"}) {
            HttpResponse<byte[]> response = get("/v1.51/containers/plain/logs" + query);
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(new JsonObject(Buffer.buffer(response.body())).getString("message")).isEqualTo("You must choose at least one stream");
        }
    }

    @Test
    void detailsShowTheLogsAttributesBeforeEachLineAfterTheTime() throws Exception {
        HttpResponse<byte[]> response = get("/containers/attrs/logs?stdout=1&stderr=1&details=1&timestamps=1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(concat(frame(1, "1970-01-01T00:00:01.000000000Z a+b=x%26y,tier=front hel"),
                frame(1, "lo\n"), frame(1, "1970-01-01T00:00:02.000000000Z a+b=x%26y,tier=front next\n")));
        assertThat(get("/containers/attrs/logs?stdout=1&details=0").body()).isEqualTo(concat(frame(1, "hel"), frame(1, "lo\n"),
                frame(1, "next\n")));
        // Without attributes, dockerd still puts the separating space.
        assertThat(get("/containers/plain/logs?stdout=1&stderr=1&details=1").body()).isEqualTo(concat(frame(1, " out\n"),
                frame(2, " err\n")));
    }

    @Test
    void anUnknownContainerIs404WithDockersMessage() throws Exception {
        HttpResponse<byte[]> response = get("/v1.51/containers/missing/logs?stdout=1");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"message\":\"No such container: missing\"}\n");
    }

    @Test
    void theQueryIsReadAsDockerReadsIt() throws Exception {
        get("/containers/plain/logs?stdout=1&stderr=0&follow=1&tail=5&since=1700000000.5&until=2024-05-01T12:34:56.123456789%2B02:00");
        assertThat(lastArgs).isEqualTo(new JsonObject().put("ref", "plain").put("stdout", true).put("stderr", false)
                .put("follow", true).put("tail", 5).put("since", 1_700_000_000_500_000_000L)
                .put("until", 1_714_559_696_123_456_789L));
        get("/containers/plain/logs?stdout=true&tail=all&since=0");
        assertThat(lastArgs.getInteger("tail")).isEqualTo(-1);
        assertThat(lastArgs.getLong("since")).isZero();
        assertThat(lastArgs.getBoolean("follow")).isFalse();
        get("/containers/plain/logs?stdout=1&tail=nonsense&until=1700000000");
        assertThat(lastArgs.getInteger("tail")).isEqualTo(-1);
        assertThat(lastArgs.getLong("until")).isEqualTo(1_700_000_000_000_000_000L);
        HttpResponse<byte[]> bad = get("/containers/plain/logs?stdout=1&since=yesterday");
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void aFailureAfterTheStartEndsTheLogWithAMessageOnStderr() throws Exception {
        HttpResponse<byte[]> response = get("/containers/broken/logs?stdout=1&stderr=1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(concat(frame(1, "partial output\n"),
                frame(2, "Error grabbing logs: disk on fire\n")));
    }

    /** A raw connection, so that the test controls when the response is read. */
    private Socket rawGet(String path) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: berth\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void theStatusGoesOutBeforeAnyOutputAndAClientThatLeavesCancelsTheJob() throws Exception {
        try (Socket socket = rawGet("/v1.51/containers/hold/logs?stdout=1&follow=1")) {
            socket.setSoTimeout(5000);
            String head = readHead(socket.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 200").contains("Content-Type: application/vnd.docker.multiplexed-stream")
                    .containsIgnoringCase("Transfer-Encoding: chunked");
            assertThat(cancelled).isNotDone();
        }
        assertThat(cancelled).succeedsWithin(5, TimeUnit.SECONDS);
    }

    @Test
    void aClientThatDoesNotReadHoldsTheWorkerBackAndStillGetsEverything() throws Exception {
        long total = (long) BIG_CHUNKS * BIG_PAYLOAD;
        try (Socket socket = rawGet("/containers/big/logs?stdout=1")) {
            socket.setReceiveBufferSize(64 * 1024);
            Thread.sleep(1500);
            // Socket buffers, the response's queue and the bus window hold a few MiB at most.
            assertThat(bigWritten.get()).isLessThan(total / 2);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[1 << 16];
            long read = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                read += n;
            }
            assertThat(read).isGreaterThan(total + (long) BIG_CHUNKS * 8);
        }
        assertThat(bigWritten.get()).isEqualTo(total);
        assertThat(cancelled).isNotDone();
    }
}
