package dev.berth.graph.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.bus.EngineException;
import dev.berth.bus.contract.image.PullImage;
import dev.berth.bus.contract.image.TransferProgress;
import dev.berth.graph.Graph;
import dev.berth.graph.GraphOptions;
import dev.berth.graph.content.Digest;
import dev.berth.graph.manifest.Descriptor;
import dev.berth.graph.manifest.ImageManifest;
import dev.berth.graph.manifest.Manifests;
import dev.berth.graph.manifest.MediaTypes;
import dev.berth.graph.testing.TarBuilder;
import dev.berth.graph.testing.TestImages;
import dev.berth.host.FileOps;
import dev.berth.host.Mounts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The puller over a real graph, against an HTTP server in the test that serves one image and
 * breaks the layer's download: once (the pull resumes with Range) or every time (the pull fails
 * and leaves nothing behind); or holds it half way until the layer's unpacking has begun; or
 * serves bytes that are not the blob the manifest names.
 */
class PullerTest {
    @TempDir
    Path dir;
    private Graph graph;
    private HttpServer server;
    private String domain;
    private byte[] layer;
    private byte[] config;
    private byte[] manifest;
    private final AtomicInteger layerRequests = new AtomicInteger();
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    private volatile boolean alwaysBreak;
    /** When set, the first request sends half the layer, then waits for this before the rest. */
    private volatile CountDownLatch holdHalfWay;
    /** When set, served instead of the layer (the same size, other bytes). */
    private volatile byte[] served;

    @BeforeEach
    void start() throws Exception {
        graph = Graph.open(new GraphOptions(dir.resolve("root"), GraphOptions.DEFAULT_MAX_LAYER_BYTES), FileOps.linux(),
                Mounts.linux(), (action, image, name) -> { });
        byte[] random = new byte[2 << 20];
        new Random(3).nextBytes(random);
        byte[] tar = new TarBuilder().dir("data").file("data/random.bin", random, 0644, 0, 0).build();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        layer = gz.toByteArray();
        config = TestImages.config(List.of(tar), "");
        manifest = Manifests.bytes(ImageManifest.docker(Descriptor.of(MediaTypes.DOCKER_CONFIG, Digest.of(config), config.length),
                List.of(Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, Digest.of(layer), layer.length))));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        domain = "127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/v2/", this::serve);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        graph.close();
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/v2/")) {
            reply(exchange, 200, new byte[0]);
        } else if (path.equals("/v2/team/app/manifests/1")) {
            exchange.getResponseHeaders().add("Content-Type", MediaTypes.DOCKER_MANIFEST);
            reply(exchange, 200, manifest);
        } else if (path.equals("/v2/team/app/blobs/" + Digest.of(config))) {
            reply(exchange, 200, config);
        } else if (path.equals("/v2/team/app/blobs/" + Digest.of(layer))) {
            serveLayer(exchange);
        } else {
            reply(exchange, 404, "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown\"}]}".getBytes());
        }
    }

    /** The first request (or every one) announces the whole layer and breaks off half way. */
    private void serveLayer(HttpExchange exchange) throws IOException {
        int request = layerRequests.incrementAndGet();
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null) {
            ranges.add(range);
        }
        if (served != null) {
            reply(exchange, 200, served);
            return;
        }
        if (holdHalfWay != null && request == 1) {
            exchange.sendResponseHeaders(200, layer.length);
            OutputStream body = exchange.getResponseBody();
            body.write(layer, 0, layer.length / 2);
            body.flush();
            try {
                holdHalfWay.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            body.write(layer, layer.length / 2, layer.length - layer.length / 2);
            exchange.close();
            return;
        }
        if (request == 1 || alwaysBreak) {
            exchange.sendResponseHeaders(200, layer.length);
            OutputStream body = exchange.getResponseBody();
            body.write(layer, 0, layer.length / 2);
            body.flush();
            // closing the connection short of the announced length is what a dropped connection looks like
            exchange.close();
            return;
        }
        int from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
        exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (layer.length - 1) + "/" + layer.length);
        exchange.sendResponseHeaders(206, layer.length - from);
        exchange.getResponseBody().write(layer, from, layer.length - from);
        exchange.close();
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    private List<TransferProgress> pull() throws IOException {
        List<TransferProgress> messages = new CopyOnWriteArrayList<>();
        graph.puller().pull(new PullImage(domain + "/team/app", "1", null, null), messages::add);
        return messages;
    }

    @Test
    void aDroppedDownloadResumesWithRange() throws Exception {
        List<TransferProgress> messages = pull();
        assertThat(ranges).hasSize(1);
        assertThat(ranges.get(0)).matches("bytes=[1-9][0-9]*-");
        assertThat(messages).extracting(TransferProgress::status).contains("Pull complete", "Digest: " + Digest.of(manifest),
                "Status: Downloaded newer image for " + domain + "/team/app:1");
        assertThat(graph.images().inspect(domain + "/team/app:1").repoDigests())
                .containsExactly(domain + "/team/app@" + Digest.of(manifest));
        // the layer's line shows its download, then its extraction, as with dockerd
        List<String> statuses = messages.stream().map(TransferProgress::status).toList();
        assertThat(statuses).contains("Extracting");
        assertThat(statuses.indexOf("Extracting")).isGreaterThan(statuses.indexOf("Download complete"));
    }

    @Test
    void aLayerIsUnpackedWhileItDownloads() throws Exception {
        CountDownLatch unpacking = new CountDownLatch(1);
        holdHalfWay = unpacking;
        Thread watcher = new Thread(() -> {
            // half the compressed layer holds the tar's header and part of the file: it appears in
            // the layer's temporary directory only if the unpacking reads what has arrived
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline && unpacking.getCount() > 0) {
                try (Stream<Path> files = Files.walk(dir.resolve("root"))) {
                    if (files.anyMatch(p -> p.toString().contains("/.tmp-") && p.endsWith("data/random.bin"))) {
                        unpacking.countDown();
                    }
                    Thread.sleep(20);
                } catch (IOException | java.io.UncheckedIOException e) {
                    // a directory that went away while walked: look again
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        try {
            List<TransferProgress> messages = pull();
            assertThat(unpacking.getCount()).as("the layer's file appeared before its download ended").isZero();
            assertThat(messages).extracting(TransferProgress::status).contains("Pull complete");
        } finally {
            unpacking.countDown();
            watcher.join();
        }
        assertThat(graph.images().inspect(domain + "/team/app:1").repoDigests()).hasSize(1);
    }

    /**
     * Another gzip header time gives bytes that unpack to the right tar and diff id: only the
     * blob's digest, known once the last byte arrived, can refuse them.
     */
    @Test
    void aBlobThatUnpacksWellButIsNotTheManifestsIsRefusedAndLeavesNothing() throws Exception {
        byte[] other = layer.clone();
        other[4] ^= 0x01;
        served = other;
        assertThatThrownBy(this::pull).isInstanceOf(EngineException.class)
                .hasMessageContaining("filesystem layer verification failed for digest " + Digest.of(layer));
        assertNothingStored();
    }

    /** A byte changed in the middle breaks the inflating first; the error still names the digest. */
    @Test
    void aCorruptBlobIsRefusedForItsDigestAndLeavesNothing() throws Exception {
        byte[] other = layer.clone();
        other[other.length / 2] ^= 0x55;
        served = other;
        assertThatThrownBy(this::pull).isInstanceOf(EngineException.class)
                .hasMessageContaining("filesystem layer verification failed for digest " + Digest.of(layer));
        assertNothingStored();
    }

    private void assertNothingStored() throws IOException {
        assertThat(graph.images().list(true, java.util.Map.of())).isEmpty();
        try (Stream<Path> files = Files.walk(dir.resolve("root"))) {
            assertThat(files.filter(Files::isRegularFile).map(p -> dir.resolve("root").relativize(p).toString())
                    .filter(p -> !p.startsWith("graph.db")).toList()).isEmpty();
        }
        assertThat(graph.layers().all()).isEmpty();
    }

    @Test
    void aDownloadThatNeverCompletesFailsAndLeavesNothing() throws Exception {
        alwaysBreak = true;
        assertThatThrownBy(this::pull).isInstanceOf(EngineException.class).hasMessageContaining(Digest.of(layer).toString());
        assertNothingStored();
    }
}
