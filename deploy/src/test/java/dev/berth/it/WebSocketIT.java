package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The WebSocket endpoints with a real client (the JDK's) over berthd's TCP listener. */
class WebSocketIT {
    private static BerthDaemon berth;
    private static int port;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        berth = BerthDaemon.start("-H", "tcp://127.0.0.1:" + port);
        berth.loadBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    /** Collects whole messages (text or binary) and the close; asks for the next message only if {@code reading}. */
    private static final class Collector implements WebSocket.Listener {
        final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final boolean reading;
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        Collector(boolean reading) {
            this.reading = reading;
        }

        @Override
        public void onOpen(WebSocket socket) {
            if (reading) {
                socket.request(1);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            bytes.write(chunk, 0, chunk.length);
            if (last) {
                messages.add(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            closed.complete(status);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
        }

        String next() throws InterruptedException {
            String message = messages.poll(20, TimeUnit.SECONDS);
            assertThat(message).as("a message within 20 s").isNotNull();
            return message;
        }
    }

    private static WebSocket connect(String path, WebSocket.Listener listener) throws Exception {
        return CLIENT.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + path), listener).get(20, TimeUnit.SECONDS);
    }

    @Test
    void logsArriveAsOneJsonMessagePerLineThenLive() throws Exception {
        berth.docker("run", "-d", "--name", "ws-logs", "busybox", "sh", "-c", "echo one; echo two >&2; sleep 1; echo three; sleep 60").ok();
        Collector collector = new Collector(true);
        WebSocket socket = connect("/berth/containers/ws-logs/logs/ws?tail=all", collector);
        JsonObject one = new JsonObject(collector.next());
        assertThat(one.getString("stream")).isEqualTo("stdout");
        assertThat(one.getString("line")).isEqualTo("one");
        assertThat(one.getString("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
        assertThat(new JsonObject(collector.next()).getMap()).containsEntry("stream", "stderr").containsEntry("line", "two");
        assertThat(new JsonObject(collector.next()).getString("line")).as("a line written after the client came").isEqualTo("three");
        berth.docker("rm", "-f", "ws-logs").ok();
        assertThat(collector.closed.get(20, TimeUnit.SECONDS)).as("the log ends with the container").isEqualTo(1000);
        socket.abort();
    }

    @Test
    void logsOptionsChooseTheLinesAndTheFields() throws Exception {
        berth.docker("run", "--name", "ws-opts", "busybox", "sh", "-c", "echo a; echo b; echo c >&2").ok();
        Collector collector = new Collector(true);
        connect("/berth/containers/ws-opts/logs/ws?tail=2&timestamps=0&stderr=0&follow=0", collector);
        assertThat(collector.next()).isEqualTo("{\"stream\":\"stdout\",\"line\":\"b\"}");
        assertThat(collector.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(collector.messages).isEmpty();
        berth.docker("rm", "ws-opts").ok();
    }

    @Test
    void anUnknownContainerIsRefusedBeforeTheUpgrade() {
        assertThatThrownBy(() -> connect("/berth/containers/ws-none/logs/ws", new Collector(true)))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(404));
    }

    @Test
    void eventsArriveAsDockerJsonWithTheirFilters() throws Exception {
        Collector collector = new Collector(true);
        String filters = URLEncoder.encode("{\"container\":[\"ws-ev\"]}", StandardCharsets.UTF_8);
        WebSocket socket = connect("/berth/events/ws?filters=" + filters, collector);
        // The subscription is in place once the upgrade is answered; other containers' events are filtered out.
        berth.docker("create", "--name", "ws-other", "busybox", "true").ok();
        berth.docker("create", "--name", "ws-ev", "busybox", "true").ok();
        JsonObject event = new JsonObject(collector.next());
        assertThat(event.getString("Type")).isEqualTo("container");
        assertThat(event.getString("Action")).isEqualTo("create");
        assertThat(event.getJsonObject("Actor").getJsonObject("Attributes").getString("name")).isEqualTo("ws-ev");
        assertThat(event.getLong("seq")).isPositive();
        socket.abort();
        berth.docker("rm", "ws-other", "ws-ev").ok();
    }

    @Test
    void attachWsCarriesStdinAndOutput() throws Exception {
        berth.docker("run", "-d", "-i", "--name", "ws-att", "busybox", "cat").ok();
        Collector collector = new Collector(true);
        WebSocket socket = connect("/containers/ws-att/attach/ws?stream=1&stdin=1&stdout=1&stderr=1", collector);
        socket.sendText("hello\n", true).get(20, TimeUnit.SECONDS);
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains("hello\n")) {
            seen.append(collector.next());
        }
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(20, TimeUnit.SECONDS);
        berth.docker("rm", "-f", "ws-att").ok();
        String refused = berth.rawRequest("GET", "/containers/ws-att/attach/ws?logs=1&stream=1", null, null);
        assertThat(refused).startsWith("HTTP/1.1 400");
    }

    /**
     * A client that stops reading while the container writes 256 MiB: the daemon's heap stays
     * where it was, because back-pressure reaches the log reader; the client can read on later.
     */
    @Test
    void aClientThatStopsReadingDoesNotGrowTheHeap() throws Exception {
        String id = berth.docker("run", "-d", "--name", "ws-flood", "busybox", "sh", "-c",
                "yes 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef | head -c 268435456; sleep 600").ok().trim();
        long before = heapUsedAfterGc();
        long rssBefore = residentBytes();
        Collector stalled = new Collector(false);
        WebSocket socket = connect("/berth/containers/ws-flood/logs/ws?tail=all", stalled);
        Path log = berth.dataRoot().resolve("containers").resolve(id).resolve("container.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(log) || Files.size(log) < 256L * 1024 * 1024) {
            assertThat(System.nanoTime()).as("the container wrote 256 MiB").isLessThan(deadline);
            Thread.sleep(200);
        }
        // Long enough for the daemon to read the whole log at the slowest it has been measured
        // (about 36 MiB/s), had it ignored the stalled client; the largest of a few samples counts.
        long during = 0;
        long rssDuring = 0;
        for (int sample = 0; sample < 4; sample++) {
            Thread.sleep(2500);
            during = Math.max(during, heapUsedAfterGc());
            // Netty may copy queued writes off the heap, so the resident size is watched too.
            rssDuring = Math.max(rssDuring, residentBytes());
        }
        assertThat(during - before).as("heap growth while a client stalls on a 256 MiB log (before %d, during %d)", before, during)
                .isLessThan(48L * 1024 * 1024);
        assertThat(rssDuring - rssBefore).as("resident growth (before %d, during %d)", rssBefore, rssDuring)
                .isLessThan(128L * 1024 * 1024);
        assertThat(stalled.messages).isEmpty();
        socket.request(3);
        assertThat(new JsonObject(stalled.next()).getString("line")).startsWith("0123456789abcdef");
        socket.abort();
        berth.docker("rm", "-f", "ws-flood").ok();
    }

    private static long residentBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(berth.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new AssertionError("no VmRSS for berthd");
    }

    /** The daemon's used heap after a full collection, from jcmd. */
    private static long heapUsedAfterGc() throws Exception {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher used = Pattern.compile("(?:generation|garbage-first heap)\\s+total \\d+K, used (\\d+)K").matcher(info);
        long kib = 0;
        boolean found = false;
        while (used.find()) {
            kib += Long.parseLong(used.group(1));
            found = true;
        }
        assertThat(found).as("jcmd GC.heap_info: %s", info).isTrue();
        return kib * 1024;
    }

    private static String jcmd(String command) throws Exception {
        Process process = new ProcessBuilder("jcmd", Long.toString(berth.pid()), command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }
}
