package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A registry whose network path goes silent in the middle of a layer: the pull resumes with
 * Range on a new connection, and when the path stays silent it fails with the reason within
 * the stall timeout, leaving no image and no partial download. The registry is Debian's
 * docker-registry; a relay in front of it plays the silent path.
 */
class RegistryStallIT {
    private static final Duration STALL = Duration.ofSeconds(1);
    private static LocalRegistry registry;
    private static StallingProxy proxy;
    private static BerthDaemon berth;
    private static long layerSize;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalRegistry.start();
        registry.copyArchive(BerthDaemon.busyboxArchive(), "stall:1");
        layerSize = layerSize("stall", "1");
        assertThat(layerSize).as("the busybox layer must span several relay allowances").isGreaterThan(256 * 1024);
        proxy = StallingProxy.to(registry.address(), Long.MAX_VALUE);
        berth = BerthDaemon.start("--registry-stall-timeout", STALL.toSeconds() + "s", "--max-concurrent-downloads", "1");
    }

    @AfterAll
    static void stop() throws Exception {
        if (berth != null) {
            berth.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static long layerSize(String repository, String tag) throws Exception {
        HttpResponse<String> manifest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                + registry.address() + "/v2/" + repository + "/manifests/" + tag))
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json,application/vnd.oci.image.manifest.v1+json")
                .build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(manifest.body()).getJsonArray("layers").getJsonObject(0).getLong("size");
    }

    private static long ingestFiles() throws Exception {
        Path ingest = berth.dataRoot().resolve("image/content/ingest");
        if (!Files.isDirectory(ingest)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(ingest)) {
            return files.count();
        }
    }

    @Test
    void aPathThatStaysSilentFailsWithTheReasonAndLeavesNothing() throws Exception {
        proxy.budget(16 * 1024);
        String image = proxy.address() + "/stall:1";
        CliResult pull = berth.dockerWithTimeout(Duration.ofSeconds(60), "pull", image);
        assertThat(pull.exitCode()).isNotZero();
        assertThat(pull.stderr()).contains("no data from the registry for 1s while reading blob sha256:");
        assertThat(berth.docker("images", "-q", image).ok()).isEmpty();
        assertThat(ingestFiles()).isZero();

        proxy.budget(Long.MAX_VALUE);
        assertThat(berth.docker("pull", image).ok()).contains("Status: Downloaded newer image for " + image);
        assertThat(berth.docker("run", "--rm", image, "echo", "whole").ok()).isEqualTo("whole\n");
        berth.docker("rmi", image).ok();
    }

    @Test
    void aPullResumesAcrossSilencesWithRange() throws Exception {
        proxy.budget(layerSize / 3 + 8 * 1024);
        int before = proxy.connections();
        String image = proxy.address() + "/stall:1";
        CliResult pull = berth.dockerWithTimeout(Duration.ofSeconds(60), "pull", image);
        assertThat(pull.ok()).contains("Status: Downloaded newer image for " + image);
        assertThat(proxy.connections() - before).as("connections: the first and the resumed ones").isGreaterThanOrEqualTo(3);
        assertThat(berth.docker("run", "--rm", image, "echo", "resumed").ok()).isEqualTo("resumed\n");
        assertThat(ingestFiles()).isZero();
        berth.docker("rmi", image).ok();
    }

    /** With one download slot, a layer queued behind a slow one says "Waiting" until its turn, as with dockerd. */
    @Test
    void aLayerQueuedForASlotSaysWaiting() throws Exception {
        proxy.budget(Long.MAX_VALUE);
        String base = proxy.address() + "/stall:1";
        String two = proxy.address() + "/two:1";
        berth.docker("pull", base).ok();
        berth.docker("run", "--name", "two-layers", base, "sh", "-c", "echo second > /layer").ok();
        berth.docker("commit", "two-layers", two).ok();
        berth.docker("rm", "two-layers").ok();
        berth.docker("push", two).ok();
        berth.docker("rmi", two, base).ok();

        proxy.budget(layerSize / 3 + 8 * 1024);
        String raw = berth.rawPost("/images/create?fromImage=" + proxy.address() + "/two&tag=1", "text/plain", "");
        java.util.List<String> waiting = raw.lines().filter(line -> line.contains("\"status\":\"Waiting\"")).toList();
        assertThat(waiting).as("the second layer waits while the first one stalls and resumes").hasSize(1);
        String waitingId = new JsonObject(waiting.get(0).substring(waiting.get(0).indexOf('{'))).getString("id");
        int waited = raw.indexOf("{\"status\":\"Waiting\",\"progressDetail\":{},\"id\":\"" + waitingId + "\"}");
        int downloaded = raw.indexOf("{\"status\":\"Download complete\",\"progressDetail\":{},\"id\":\"" + waitingId + "\"}");
        assertThat(waited).isPositive().isLessThan(downloaded);
        assertThat(raw).contains("Status: Downloaded newer image for " + two);
        assertThat(berth.docker("run", "--rm", two, "cat", "/layer").ok()).isEqualTo("second\n");
        berth.docker("rmi", two).ok();
    }
}
