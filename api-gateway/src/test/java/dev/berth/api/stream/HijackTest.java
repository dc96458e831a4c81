package dev.berth.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hijacked connection as the docker CLI and docker-java use it, over a real socket. */
class HijackTest {
    private Vertx vertx;
    private int port;
    private final CompletableFuture<String> inputSeen = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body ->
                Hijack.take(request, Hijack.RAW_STREAM).onSuccess(stream -> {
                    StringBuilder input = new StringBuilder();
                    stream.inputHandler(data -> input.append(data.toString()));
                    stream.inputEndHandler(v -> {
                        inputSeen.complete(input.toString());
                        // Output keeps flowing after the client's half-close.
                        vertx.setTimer(200, t -> {
                            stream.write(Buffer.buffer("late output for " + input));
                            stream.close();
                        });
                    });
                })));
        port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void upgradedConnectionsSurviveTheClientsHalfClose() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /containers/x/attach?stream=1 HTTP/1.1\r\nHost: api.moby.localhost\r\nContent-Length: 0\r\n"
                    + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101").contains("Upgrade: tcp").contains("Content-Type: " + Hijack.RAW_STREAM);
            out.write("stdin-data".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();
            assertThat(inputSeen.get(10, TimeUnit.SECONDS)).isEqualTo("stdin-data");
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("late output for stdin-data");
        }
    }

    @Test
    void requestsWithoutUpgradeGetAChunkedOutputOnlyResponse() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /exec/x/start HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
            assertThat(inputSeen.get(10, TimeUnit.SECONDS)).isEmpty();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!body.toString(StandardCharsets.UTF_8).contains("0\r\n\r\n") && System.nanoTime() < deadline) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                body.write(buffer, 0, n);
            }
            assertThat(body.toString(StandardCharsets.UTF_8)).contains("late output for ").endsWith("0\r\n\r\n");
        }
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
