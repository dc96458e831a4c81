package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** docker load, images, inspect, tag, rmi, save — the real CLI against a real berthd. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageIT {
    private static BerthDaemon berth;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        berth = BerthDaemon.start();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    private static String busyboxId() throws Exception {
        return berth.docker("image", "inspect", "--format", "{{.Id}}", "busybox").ok().trim();
    }

    @Test
    @Order(1)
    void mkimagePipedIntoDockerLoad() throws Exception {
        CliResult load = berth.shell("$BERTH_REPO/deploy/bin/mkimage busybox | docker load");
        assertThat(load.ok()).contains("Loaded image: busybox:latest");
        String images = berth.docker("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}").ok();
        assertThat(images.trim()).matches("busybox:latest [0-9a-f]{12} [0-9.]+MB");
    }

    @Test
    @Order(2)
    void loadingTwiceIsCheapAndChangesNothing() throws Exception {
        String before = busyboxId();
        Set<String> files = filesUnderImageRoot();
        assertThat(berth.docker("load", "-i", BerthDaemon.busyboxArchive().toString()).ok()).contains("Loaded image: busybox:latest");
        assertThat(busyboxId()).isEqualTo(before);
        assertThat(filesUnderImageRoot()).isEqualTo(files);
    }

    @Test
    @Order(3)
    void inspectByNameIdAndPrefixAndThroughPlainInspect() throws Exception {
        String id = busyboxId();
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        String out = berth.docker("image", "inspect", "--format",
                "{{.Os}} {{.Architecture}} {{index .Config.Cmd 0}} {{len .RootFS.Layers}} {{.GraphDriver.Name}} {{.RootFS.Type}}",
                "busybox").ok();
        assertThat(out.trim()).matches("linux \\w+ sh 1 overlay2 layers");
        assertThat(berth.docker("inspect", "--format", "{{.Id}}", "busybox").ok().trim()).isEqualTo(id);
        assertThat(berth.docker("image", "inspect", "--format", "{{.Id}}", id.substring(7, 19)).ok().trim()).isEqualTo(id);
        assertThat(berth.docker("image", "inspect", "--format", "{{.Id}}", "docker.io/library/busybox:latest").ok().trim())
                .isEqualTo(id);
        CliResult missing = berth.docker("image", "inspect", "nosuch");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("No such image: nosuch");
        String history = berth.docker("history", "--no-trunc", "--format", "{{.ID}}|{{.CreatedBy}}|{{.Size}}", "busybox").ok();
        assertThat(history.trim()).startsWith(id + "|deploy/bin/mkimage busybox").endsWith("MB");
        String created = berth.docker("image", "inspect", "--format", "{{.Created}}", "busybox").ok().trim();
        assertThat(created).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    }

    @Test
    @Order(4)
    void tagAndRemoveTags() throws Exception {
        String id = busyboxId();
        berth.docker("tag", "busybox", "localhost:5000/x/y:1").ok();
        berth.docker("tag", id.substring(7, 19), "mine").ok();
        String repos = berth.docker("images", "--format", "{{.Repository}}:{{.Tag}}").ok();
        assertThat(repos.lines().sorted().collect(Collectors.toList()))
                .containsExactly("busybox:latest", "localhost:5000/x/y:1", "mine:latest");
        assertThat(berth.docker("images", "--filter", "reference=mine", "--format", "{{.Repository}}").ok().trim()).isEqualTo("mine");
        assertThat(berth.docker("images", "-q", "--filter", "dangling=true").ok()).isEmpty();
        assertThat(berth.docker("images", "-q", "--filter", "label=no.such.label").ok()).isEmpty();
        assertThat(berth.docker("images", "-q", "--filter", "before=busybox").ok()).isEmpty();
        assertThat(berth.docker("images", "-q", "--filter", "until=1970-01-02T00:00:00Z").ok()).isEmpty();
        CliResult unknownFilter = berth.docker("images", "--filter", "colour=red");
        assertThat(unknownFilter.exitCode()).isNotZero();
        assertThat(unknownFilter.stderr()).contains("invalid filter 'colour'");

        assertThat(berth.docker("rmi", "localhost:5000/x/y:1").ok().trim()).isEqualTo("Untagged: localhost:5000/x/y:1");
        assertThat(berth.docker("rmi", "mine").ok().trim()).isEqualTo("Untagged: mine:latest");
        assertThat(busyboxId()).isEqualTo(id);

        CliResult unknown = berth.docker("rmi", "nosuch");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("No such image: nosuch:latest");
        CliResult bad = berth.docker("tag", "nosuch", "other");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("No such image");
        assertThat(rawPost("/v1.51/images/busybox/tag?repo=Bad%20Name&tag=x")).startsWith("HTTP/1.0 400")
                .contains("invalid reference format");
        assertThat(rawPost("/v1.51/images/busybox/tag?repo=good&tag=-bad")).startsWith("HTTP/1.0 400")
                .contains("invalid tag format");
    }

    @Test
    @Order(5)
    void saveAndLoadIntoASecondDaemon() throws Exception {
        String id = busyboxId();
        Path file = work.resolve("busybox.tar");
        berth.docker("save", "-o", file.toString(), "busybox").ok();
        assertThat(tarNames(file)).contains("index.json", "manifest.json", "oci-layout", "repositories",
                "blobs/sha256/" + id.substring(7));
        try (BerthDaemon second = BerthDaemon.start()) {
            CliResult piped = berth.shell("docker save busybox | DOCKER_HOST=" + second.dockerHost() + " docker load");
            assertThat(piped.ok()).contains("Loaded image: busybox:latest");
            assertThat(second.docker("image", "inspect", "--format", "{{.Id}}", "busybox").ok().trim()).isEqualTo(id);
            second.docker("rmi", "busybox").ok();
            assertThat(second.docker("load", "-i", file.toString()).ok()).contains("Loaded image: busybox:latest");
            assertThat(second.docker("image", "inspect", "--format", "{{.Id}}", "busybox").ok().trim()).isEqualTo(id);
        }
        CliResult unknown = berth.docker("save", "-o", work.resolve("x.tar").toString(), "nosuch");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("No such image");
    }

    @Test
    @Order(6)
    void badArchivesAreRefusedAndLeaveNothing() throws Exception {
        Set<String> before = filesUnderImageRoot();
        Path junk = work.resolve("junk.tar");
        Files.write(junk, "this is not a tar archive\n".repeat(400).getBytes(StandardCharsets.US_ASCII));
        refused(junk, "invalid tar header");

        byte[] busybox = Files.readAllBytes(BerthDaemon.busyboxArchive());
        Path truncated = work.resolve("truncated.tar");
        Files.write(truncated, java.util.Arrays.copyOf(busybox, busybox.length / 2 + 100));
        refused(truncated, "unexpected EOF");

        Path noManifest = work.resolve("nomanifest.tar");
        Files.write(noManifest, archive(List.of(new Entry("hello.txt", "hi".getBytes(StandardCharsets.UTF_8), null))));
        refused(noManifest, "manifest.json");

        String marker = "berth-it-escape-" + Long.toHexString(System.nanoTime());
        Path traversal = work.resolve("traversal.tar");
        Files.write(traversal, image(archive(List.of(new Entry("../../../../../tmp/" + marker, "x".getBytes(), null)))));
        refused(traversal, "path traversal");

        Path symlinkEscape = work.resolve("symlink.tar");
        Files.write(symlinkEscape, image(archive(List.of(new Entry("evil", null, "/tmp"),
                new Entry("evil/" + marker, "x".getBytes(), null)))));
        refused(symlinkEscape, "passes through the symlink");

        assertThat(Path.of("/tmp", marker)).doesNotExist();
        assertThat(filesUnderImageRoot()).isEqualTo(before);
    }

    @Test
    @Order(7)
    void loadsArchivesBerthDidNotWrite() throws Exception {
        Path busybox = BerthDaemon.busyboxArchive();
        Path legacy = work.resolve("skopeo-docker.tar");
        Path oci = work.resolve("skopeo-oci.tar");
        berth.shell("skopeo copy -q docker-archive:" + busybox + " docker-archive:" + legacy + ":busybox:legacy").ok();
        berth.shell("skopeo copy -q docker-archive:" + busybox + " oci-archive:" + oci + ":busybox:oci").ok();
        assertThat(berth.docker("load", "-i", legacy.toString()).ok()).contains("Loaded image: busybox:legacy");
        assertThat(berth.docker("image", "inspect", "--format", "{{.Id}}", "busybox:legacy").ok().trim()).isEqualTo(busyboxId());
        assertThat(berth.docker("load", "-i", oci.toString()).ok()).contains("Loaded image: busybox:oci");
        assertThat(berth.docker("rmi", "busybox:legacy", "busybox:oci").ok()).contains("Untagged: busybox:legacy")
                .contains("Untagged: busybox:oci").contains("Deleted: sha256:");
    }

    /**
     * docker save of several images and tags, by repository, tag and id, writes both layouts as
     * dockerd 25+ does; a second daemon loads it quietly and gets the same images and tags.
     */
    @Test
    @Order(7)
    void savingSeveralImagesWritesBothLayoutsAndLoadsQuietlyElsewhere() throws Exception {
        String busybox = busyboxId();
        berth.docker("tag", "busybox", "berth-it/one:a").ok();
        berth.docker("tag", "busybox", "berth-it/one:b").ok();
        String container = berth.docker("create", "busybox", "true").ok().trim();
        String other = berth.docker("commit", "-c", "ENV SAVED=yes", container, "berth-it/two:1").ok().trim();
        String untagged = berth.docker("commit", "-c", "ENV SAVED=untagged", container).ok().trim();
        berth.docker("rm", container).ok();
        Path file = work.resolve("several.tar");
        try {
            berth.docker("save", "-o", file.toString(), "berth-it/one", "berth-it/two:1", untagged.substring(7, 19)).ok();
            Map<String, byte[]> files = tarFiles(file);
            assertThat(new String(files.get("oci-layout"), StandardCharsets.UTF_8)).contains("\"imageLayoutVersion\"")
                    .contains("1.0.0");
            for (Map.Entry<String, byte[]> blob : files.entrySet()) {
                if (blob.getKey().startsWith("blobs/sha256/")) {
                    assertThat("blobs/sha256/" + sha256(blob.getValue())).as("a blob's name is its digest").isEqualTo(blob.getKey());
                }
            }
            JsonObject index = new JsonObject(new String(files.get("index.json"), StandardCharsets.UTF_8));
            assertThat(index.getString("mediaType")).isEqualTo("application/vnd.oci.image.index.v1+json");
            Map<String, String> refNames = new java.util.TreeMap<>();
            int unnamed = 0;
            for (Object item : index.getJsonArray("manifests")) {
                JsonObject descriptor = (JsonObject) item;
                JsonObject annotations = descriptor.getJsonObject("annotations");
                JsonObject manifest = new JsonObject(new String(files.get("blobs/sha256/" + descriptor.getString("digest")
                        .substring(7)), StandardCharsets.UTF_8));
                String config = manifest.getJsonObject("config").getString("digest");
                for (Object layer : manifest.getJsonArray("layers")) {
                    assertThat(((JsonObject) layer).getString("mediaType")).isEqualTo("application/vnd.oci.image.layer.v1.tar");
                }
                if (annotations == null) {
                    unnamed++;
                    assertThat(config).isEqualTo(untagged);
                } else {
                    refNames.put(annotations.getString("io.containerd.image.name"),
                            annotations.getString("org.opencontainers.image.ref.name") + " " + config);
                }
            }
            assertThat(unnamed).isEqualTo(1);
            assertThat(refNames).containsExactly(Map.entry("docker.io/berth-it/one:a", "a " + busybox),
                    Map.entry("docker.io/berth-it/one:b", "b " + busybox), Map.entry("docker.io/berth-it/two:1", "1 " + other));
            JsonArray manifestJson = new JsonArray(new String(files.get("manifest.json"), StandardCharsets.UTF_8));
            assertThat(manifestJson).hasSize(3);
            for (Object item : manifestJson) {
                JsonObject entry = (JsonObject) item;
                assertThat(files).containsKey(entry.getString("Config"));
                entry.getJsonArray("Layers").forEach(layer -> assertThat(files).containsKey((String) layer));
            }
            JsonObject repositories = new JsonObject(new String(files.get("repositories"), StandardCharsets.UTF_8));
            assertThat(repositories.fieldNames()).containsExactlyInAnyOrder("berth-it/one", "berth-it/two");
            assertThat(repositories.getJsonObject("berth-it/one").fieldNames()).containsExactlyInAnyOrder("a", "b");

            try (BerthDaemon second = BerthDaemon.start()) {
                CliResult quiet = second.docker("load", "-q", "-i", file.toString());
                assertThat(quiet.ok().lines().sorted().toList()).containsExactly("Loaded image ID: " + untagged,
                        "Loaded image: berth-it/one:a", "Loaded image: berth-it/one:b", "Loaded image: berth-it/two:1");
                assertThat(second.docker("image", "inspect", "--format", "{{.Id}}", "berth-it/one:b").ok().trim()).isEqualTo(busybox);
                assertThat(second.docker("run", "--rm", "berth-it/two:1", "sh", "-c", "echo $SAVED").ok().trim()).isEqualTo("yes");
                assertThat(second.docker("image", "inspect", "--format", "{{.Id}}", untagged).ok().trim()).isEqualTo(untagged);
            }
        } finally {
            berth.docker("rmi", "berth-it/one:a", "berth-it/one:b", "berth-it/two:1", untagged).ok();
        }
        assertThat(busyboxId()).isEqualTo(busybox);
    }

    /**
     * An OCI image layout written by hand, as other tools write it: the image's entry in
     * index.json is itself an index (amd64 and arm64, the arm64 blobs absent, so choosing the
     * wrong one fails), its layer gzip-compressed; names come from io.containerd.image.name or a
     * full org.opencontainers.image.ref.name, and a bare tag loads the image untagged.
     */
    @Test
    @Order(7)
    void loadsAHandMadeOciLayoutWithANestedIndex() throws Exception {
        byte[] layer = archive(List.of(new Entry("hello", "from an oci layout\n".getBytes(StandardCharsets.UTF_8), null)));
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(gzipped)) {
            gzip.write(layer);
        }
        byte[] layerBlob = gzipped.toByteArray();
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/hello\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + sha256(layer) + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", config, null) + ",\"layers\":["
                + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layerBlob, null) + "]}").getBytes(StandardCharsets.UTF_8);
        String missing = "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + "0".repeat(64)
                + "\",\"size\":500,\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}";
        byte[] nested = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + missing + "," + descriptor("application/vnd.oci.image.manifest.v1+json", manifest,
                        "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}") + "]}").getBytes(StandardCharsets.UTF_8);
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + descriptor("application/vnd.oci.image.index.v1+json", nested, "\"annotations\":{\"io.containerd.image.name\":"
                        + "\"docker.io/library/handmade:oci\",\"org.opencontainers.image.ref.name\":\"oci\"}") + ","
                + descriptor("application/vnd.oci.image.manifest.v1+json", manifest,
                        "\"annotations\":{\"org.opencontainers.image.ref.name\":\"berth-it/handmade:ref\"}") + ","
                + descriptor("application/vnd.oci.image.manifest.v1+json", manifest,
                        "\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}") + "]}")
                .getBytes(StandardCharsets.UTF_8);
        List<Entry> layout = List.of(new Entry("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8), null),
                new Entry("index.json", index, null), blob(layerBlob), blob(config), blob(manifest), blob(nested));
        Path file = work.resolve("handmade-oci.tar");
        Files.write(file, archive(layout));

        String out = berth.docker("load", "-i", file.toString()).ok();
        String id = "sha256:" + sha256(config);
        assertThat(out).contains("Loaded image: handmade:oci").contains("Loaded image: berth-it/handmade:ref")
                .contains("Loaded image ID: " + id);
        assertThat(berth.docker("image", "inspect", "--format", "{{.Id}} {{index .Config.Cmd 0}}", "handmade:oci").ok().trim())
                .isEqualTo(id + " /hello");
        assertThat(berth.docker("image", "inspect", "--format", "{{index .RootFS.Layers 0}}", "berth-it/handmade:ref").ok()
                .trim()).isEqualTo("sha256:" + sha256(layer));
        berth.docker("rmi", "handmade:oci", "berth-it/handmade:ref").ok();

        Set<String> before = filesUnderImageRoot();
        byte[] forged = "not what the digest says".getBytes(StandardCharsets.UTF_8);
        Path wrongContent = work.resolve("wrong-content.tar");
        Files.write(wrongContent, archive(List.of(layout.get(0), layout.get(1),
                new Entry("blobs/sha256/" + sha256(layerBlob), forged, null), blob(config), blob(manifest), blob(nested))));
        refused(wrongContent, "does not match its digest");
        Path missingLayer = work.resolve("missing-layer.tar");
        Files.write(missingLayer, archive(List.of(layout.get(0), layout.get(1), blob(config), blob(manifest), blob(nested))));
        refused(missingLayer, "is missing");
        assertThat(filesUnderImageRoot()).isEqualTo(before);
    }

    private static Entry blob(byte[] data) throws Exception {
        return new Entry("blobs/sha256/" + sha256(data), data, null);
    }

    private static String descriptor(String mediaType, byte[] data, String extra) throws Exception {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"sha256:" + sha256(data) + "\",\"size\":" + data.length
                + (extra == null ? "" : "," + extra) + "}";
    }

    /** Every regular file of a tar, by name. */
    private static Map<String, byte[]> tarFiles(Path file) throws IOException {
        Map<String, byte[]> files = new java.util.TreeMap<>();
        try (org.apache.commons.compress.archivers.tar.TarArchiveInputStream tar =
                new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(file))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile()) {
                    files.put(entry.getName(), tar.readAllBytes());
                }
            }
        }
        return files;
    }

    @Test
    @Order(8)
    void anImageInUseStaysUntilItsContainerIsRemoved() throws Exception {
        String id = busyboxId();
        String shortId = id.substring(7, 19);
        String container = berth.docker("run", "-d", "busybox", "sleep", "300").ok().trim();
        String shortContainer = container.substring(0, 12);
        try {
            CliResult byName = berth.docker("rmi", "busybox");
            assertThat(byName.exitCode()).as(byName.toString()).isNotZero();
            assertThat(byName.stderr()).contains("conflict: unable to remove repository reference \"busybox\" (must force) - container "
                    + shortContainer + " is using its referenced image " + shortId);

            CliResult forcedById = berth.docker("rmi", "-f", shortId);
            assertThat(forcedById.exitCode()).as(forcedById.toString()).isNotZero();
            assertThat(forcedById.stderr()).contains("conflict: unable to delete " + shortId
                    + " (cannot be forced) - image is being used by running container " + shortContainer);
            assertThat(busyboxId()).isEqualTo(id);

            // dockerd's rule: forcing by name untags, and the image stays while a container runs it.
            assertThat(berth.docker("rmi", "-f", "busybox").ok().trim()).isEqualTo("Untagged: busybox:latest");
            assertThat(berth.docker("image", "inspect", "--format", "{{.Id}}", shortId).ok().trim()).isEqualTo(id);
            assertThat(berth.docker("inspect", "--format", "{{.State.Running}}", container).ok().trim()).isEqualTo("true");
            CliResult stillForbidden = berth.docker("rmi", "-f", shortId);
            assertThat(stillForbidden.stderr()).contains("(cannot be forced) - image is being used by running container " + shortContainer);
            berth.docker("tag", shortId, "busybox").ok();
        } finally {
            berth.docker("rm", "-f", container).ok();
        }
        assertThat(berth.docker("rmi", "busybox").ok()).contains("Untagged: busybox:latest").contains("Deleted: " + id);
        assertThat(berth.docker("load", "-i", BerthDaemon.busyboxArchive().toString()).ok()).contains("Loaded image: busybox:latest");
        assertThat(busyboxId()).isEqualTo(id);
    }

    @Test
    @Order(9)
    void removingTheLastTagDeletesImageAndLayers() throws Exception {
        String id = busyboxId();
        String out = berth.docker("rmi", "busybox").ok();
        assertThat(out).contains("Untagged: busybox:latest").contains("Deleted: " + id);
        assertThat(berth.docker("images", "-q").ok()).isEmpty();
        Path image = berth.dataRoot().resolve("image");
        assertThat(filesUnderImageRoot()).allMatch(p -> Set.of("graph.db", "content", "content/blobs", "content/blobs/sha256",
                "content/ingest", "layers", "l", "snapshots").contains(p) || p.startsWith("graph.db"));
        assertThat(Files.list(image.resolve("layers")).count()).isZero();
    }

    /**
     * berthd killed with SIGKILL in the middle of a load, once while the archive is being staged
     * and once while its layer is being unpacked: after a restart the image is not there and the
     * image root holds exactly what it held before (no staged blob, no half-unpacked layer).
     */
    @Test
    @Order(10)
    void aLoadKilledHalfWayLeavesNothingAfterRestart() throws Exception {
        Path big = work.resolve("big.tar");
        writeManyFilesImage(big, 20_000, 4096);
        try (BerthDaemon own = BerthDaemon.start()) {
            Path image = own.dataRoot().resolve("image");
            Set<String> before = filesUnder(image);
            killDuringLoad(own, big, () -> largestFile(image.resolve("content/ingest")) > 16L << 20);
            assertThat(own.docker("images", "-aq").ok()).isEmpty();
            assertThat(filesUnder(image)).isEqualTo(before);
            killDuringLoad(own, big, () -> hasTemporaryLayer(image.resolve("layers")));
            assertThat(own.docker("images", "-aq").ok()).isEmpty();
            assertThat(filesUnder(image)).isEqualTo(before);
            assertThat(own.docker("load", "-i", big.toString()).ok()).contains("Loaded image: berth-it/big:1");
        }
    }

    private interface Probe {
        boolean holds() throws IOException;
    }

    private static void killDuringLoad(BerthDaemon daemon, Path archive, Probe when) throws Exception {
        Process load = daemon.dockerProcess("load", "-i", archive.toString());
        try {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
            while (!when.holds()) {
                assertThat(load.isAlive()).as("the load ended before berthd could be killed in the middle of it").isTrue();
                assertThat(System.nanoTime()).as("the load never reached the point to kill it at").isLessThan(deadline);
                Thread.sleep(5);
            }
            daemon.kill();
        } finally {
            load.destroyForcibly().waitFor();
        }
        daemon.restart();
    }

    private static long largestFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(f -> f.toFile().length()).max().orElse(0);
        }
    }

    private static boolean hasTemporaryLayer(Path layers) throws IOException {
        try (Stream<Path> entries = Files.list(layers)) {
            return entries.anyMatch(e -> e.getFileName().toString().startsWith(".tmp-"));
        }
    }

    private static Set<String> filesUnder(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString())
                    .filter(p -> !p.startsWith("graph.db-")).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** A docker-archive of berth-it/big:1, one layer of count files of size random bytes, written as a stream. */
    private static void writeManyFilesImage(Path archive, int count, int size) throws Exception {
        Path layer = archive.resolveSibling("big-layer.tar");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        java.util.Random random = new java.util.Random(42);
        byte[] data = new byte[size];
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new java.security.DigestOutputStream(
                new java.io.BufferedOutputStream(Files.newOutputStream(layer)), sha))) {
            for (int i = 0; i < count; i++) {
                TarArchiveEntry entry = new TarArchiveEntry("data/" + (i % 100) + "/f" + i, TarConstants.LF_NORMAL, true);
                entry.setSize(size);
                entry.setMode(0644);
                tar.putArchiveEntry(entry);
                random.nextBytes(data);
                tar.write(data);
                tar.closeArchiveEntry();
            }
        }
        String diff = HexFormat.of().formatHex(sha.digest());
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"sha256:" + diff + "\"]}}").getBytes(StandardCharsets.UTF_8);
        String configHex = sha256(config);
        byte[] manifest = ("[{\"Config\":\"blobs/sha256/" + configHex + "\",\"RepoTags\":[\"berth-it/big:1\"],\"Layers\":"
                + "[\"blobs/sha256/" + diff + "\"]}]").getBytes(StandardCharsets.UTF_8);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new java.io.BufferedOutputStream(
                Files.newOutputStream(archive)))) {
            TarArchiveEntry entry = new TarArchiveEntry("blobs/sha256/" + diff, TarConstants.LF_NORMAL, true);
            entry.setSize(Files.size(layer));
            entry.setMode(0644);
            tar.putArchiveEntry(entry);
            Files.copy(layer, tar);
            tar.closeArchiveEntry();
            for (Entry small : List.of(new Entry("blobs/sha256/" + configHex, config, null),
                    new Entry("manifest.json", manifest, null))) {
                TarArchiveEntry file = new TarArchiveEntry(small.name(), TarConstants.LF_NORMAL, true);
                file.setSize(small.data().length);
                file.setMode(0644);
                tar.putArchiveEntry(file);
                tar.write(small.data());
                tar.closeArchiveEntry();
            }
        }
        Files.delete(layer);
    }

    private void refused(Path archive, String message) throws Exception {
        CliResult result = berth.docker("load", "-i", archive.toString());
        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stderr() + result.stdout()).contains(message);
    }

    private static Set<String> filesUnderImageRoot() throws IOException {
        Path root = berth.dataRoot().resolve("image");
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString())
                    .filter(p -> !p.startsWith("graph.db-")).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** A raw HTTP/1.0 POST over the unix socket, for what the CLI validates before sending. */
    private static String rawPost(String path) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(berth.socket()));
            channel.write(ByteBuffer.wrap(("POST " + path + " HTTP/1.0\r\nHost: berth\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                response.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return response.toString(StandardCharsets.UTF_8);
        }
    }

    private static List<String> tarNames(Path file) throws Exception {
        return List.of(berth.shell("tar tf " + file).ok().split("\n"));
    }

    private record Entry(String name, byte[] data, String symlinkTarget) {
    }

    private static byte[] archive(List<Entry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (Entry e : entries) {
                TarArchiveEntry entry = e.symlinkTarget() != null
                        ? new TarArchiveEntry(e.name(), TarConstants.LF_SYMLINK, true)
                        : new TarArchiveEntry(e.name(), TarConstants.LF_NORMAL, true);
                if (e.symlinkTarget() != null) {
                    entry.setLinkName(e.symlinkTarget());
                } else {
                    entry.setSize(e.data().length);
                }
                entry.setMode(0644);
                tar.putArchiveEntry(entry);
                if (e.data() != null) {
                    tar.write(e.data());
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A docker-archive (Docker 25 layout) of one image whose only layer is the given tar. */
    private static byte[] image(byte[] layer) throws Exception {
        String diff = sha256(layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":"
                + "[\"sha256:" + diff + "\"]}}").getBytes(StandardCharsets.UTF_8);
        String configHex = sha256(config);
        byte[] manifest = ("[{\"Config\":\"blobs/sha256/" + configHex + "\",\"RepoTags\":[\"evil:latest\"],\"Layers\":"
                + "[\"blobs/sha256/" + diff + "\"]}]").getBytes(StandardCharsets.UTF_8);
        return archive(List.of(new Entry("blobs/sha256/" + diff, layer, null), new Entry("blobs/sha256/" + configHex, config, null),
                new Entry("manifest.json", manifest, null)));
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
