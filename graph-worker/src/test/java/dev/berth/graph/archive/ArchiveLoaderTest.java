package dev.berth.graph.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.image.ImageView;
import dev.berth.graph.Graph;
import dev.berth.graph.GraphOptions;
import dev.berth.graph.content.Digest;
import dev.berth.graph.manifest.Platform;
import dev.berth.graph.image.ImageEvents;
import dev.berth.graph.testing.TarBuilder;
import dev.berth.graph.testing.TestImages;
import dev.berth.host.FileOps;
import dev.berth.host.Mounts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads archives of both Docker layouts built by hand, saves them, and refuses broken ones. */
class ArchiveLoaderTest {
    static final byte[] BASE = new TarBuilder().dir("bin").file("bin/sh", "#!sh\n").dir("etc").file("etc/motd", "hi\n").build();
    static final byte[] TOP = new TarBuilder().dir("etc").file("etc/.wh.motd", "").file("etc/app", "app\n").build();
    static final byte[] EMPTY = new TarBuilder().build();

    @TempDir
    Path dir;
    Graph graph;
    final List<String> events = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        graph = open(dir.resolve("one"));
    }

    Graph open(Path root) throws IOException {
        ImageEvents sink = (action, image, name) -> events.add(action + " " + name);
        return Graph.open(new GraphOptions(root, GraphOptions.DEFAULT_MAX_LAYER_BYTES), FileOps.linux(), Mounts.linux(), sink);
    }

    @AfterEach
    void close() {
        graph.close();
    }

    List<String> load(Graph target, byte[] archive, boolean quiet) throws IOException {
        List<String> out = new ArrayList<>();
        target.loader().load(new ByteArrayInputStream(archive), quiet, message -> out.add(message.layer() == null ? message.message()
                : "layer " + message.layer() + " " + message.current() + "/" + message.total()));
        return out;
    }

    static byte[] compress(byte[] data, String kind) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = switch (kind) {
            case "gzip" -> new GzipCompressorOutputStream(bytes);
            case "bzip2" -> new BZip2CompressorOutputStream(bytes);
            case "xz" -> new XZCompressorOutputStream(bytes);
            case "zstd" -> new ZstdCompressorOutputStream(bytes);
            default -> bytes;
        }) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    /** Docker 25 layout: blobs by digest (layers possibly compressed), index.json, manifest.json. */
    static byte[] modernArchive(byte[] config, List<byte[]> layerBlobs, String repoTag) {
        TarBuilder tar = new TarBuilder().dir("blobs").dir("blobs/sha256");
        Digest configDigest = Digest.of(config);
        tar.file("blobs/sha256/" + configDigest.hex(), config, 0644, 0, 0);
        StringBuilder layers = new StringBuilder();
        for (byte[] blob : layerBlobs) {
            Digest digest = Digest.of(blob);
            tar.file("blobs/sha256/" + digest.hex(), blob, 0644, 0, 0);
            layers.append(layers.length() > 0 ? "," : "").append("\"blobs/sha256/").append(digest.hex()).append('"');
        }
        String tags = repoTag == null ? "null" : "[\"" + repoTag + "\"]";
        tar.file("manifest.json", "[{\"Config\":\"blobs/sha256/" + configDigest.hex() + "\",\"RepoTags\":" + tags
                + ",\"Layers\":[" + layers + "]}]");
        tar.file("oci-layout", "{\"imageLayoutVersion\": \"1.0.0\"}");
        return tar.build();
    }

    /** Docker 24 layout: <v1id>/layer.tar, duplicates as symlinks, <hex>.json config. */
    static byte[] legacyArchive(byte[] config, List<byte[]> layers, String repoTag) {
        TarBuilder tar = new TarBuilder();
        StringBuilder paths = new StringBuilder();
        List<Digest> seen = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            String v1 = String.valueOf((char) ('a' + i)).repeat(64);
            tar.dir(v1).file(v1 + "/VERSION", "1.0").file(v1 + "/json", "{\"id\":\"" + v1 + "\"}");
            Digest digest = Digest.of(layers.get(i));
            int first = seen.indexOf(digest);
            if (first >= 0) {
                tar.symlink(v1 + "/layer.tar", "../" + String.valueOf((char) ('a' + first)).repeat(64) + "/layer.tar");
            } else {
                tar.file(v1 + "/layer.tar", layers.get(i), 0644, 0, 0);
            }
            seen.add(digest);
            paths.append(paths.length() > 0 ? "," : "").append('"').append(v1).append("/layer.tar\"");
        }
        Digest configDigest = Digest.of(config);
        tar.file(configDigest.hex() + ".json", config, 0644, 0, 0);
        String tags = repoTag == null ? "null" : "[\"" + repoTag + "\"]";
        tar.file("manifest.json", "[{\"Config\":\"" + configDigest.hex() + ".json\",\"RepoTags\":" + tags
                + ",\"Layers\":[" + paths + "]}]");
        tar.file("repositories", "{}");
        return tar.build();
    }

    @Test
    void loadsTheDocker25LayoutWithCompressedLayers() throws Exception {
        byte[] config = TestImages.config(List.of(BASE, TOP), "");
        List<String> out = load(graph, modernArchive(config, List.of(compress(BASE, "gzip"), TOP), "busybox:latest"), false);
        assertThat(out).anyMatch(m -> m.matches("layer [0-9a-f]{12} \\d+/\\d+"));
        assertThat(out.get(out.size() - 1)).isEqualTo("Loaded image: busybox:latest\n");
        ImageView view = graph.images().inspect("busybox");
        assertThat(view.id()).isEqualTo(Digest.of(config).toString());
        assertThat(graph.content().exists(Digest.of(BASE))).as("the uncompressed tar is kept for save").isTrue();
        assertThat(graph.content().exists(Digest.of(compress(BASE, "gzip")))).isFalse();
        assertThat(events).contains("load " + Digest.of(config), "tag busybox:latest");
        assertNothingStaged(graph);
    }

    @Test
    void loadsTheLegacyLayoutWithSymlinkedDuplicateLayers() throws Exception {
        byte[] config = TestImages.config(List.of(BASE, EMPTY, EMPTY), "");
        List<String> out = load(graph, legacyArchive(config, List.of(BASE, EMPTY, EMPTY), null), true);
        assertThat(out).containsExactly("Loaded image ID: " + Digest.of(config) + "\n");
        assertThat(graph.images().inspect(Digest.of(config).hex().substring(0, 12)).rootfs().layers()).hasSize(3);
    }

    @Test
    void loadsEveryCompression() throws Exception {
        for (String kind : List.of("bzip2", "xz", "zstd")) {
            byte[] layer = new TarBuilder().file(kind, kind).build();
            byte[] config = TestImages.config(List.of(layer), "");
            load(graph, modernArchive(config, List.of(compress(layer, kind)), kind + ":1"), true);
            assertThat(graph.images().inspect(kind + ":1").id()).isEqualTo(Digest.of(config).toString());
        }
    }

    @Test
    void loadingAgainReusesLayersAndMovesTags() throws Exception {
        byte[] config = TestImages.config(List.of(BASE), "");
        byte[] archive = modernArchive(config, List.of(BASE), "app:1");
        load(graph, archive, true);
        Path diff = graph.layers().diffDirectory(Digest.of(BASE));
        Object inode = Files.getAttribute(diff, "unix:ino");
        assertThat(load(graph, archive, true)).containsExactly("Loaded image: app:1\n");
        assertThat(Files.getAttribute(diff, "unix:ino")).isEqualTo(inode);

        byte[] other = TestImages.config(List.of(BASE), ",\"Labels\":{\"v\":\"2\"}");
        List<String> out = load(graph, modernArchive(other, List.of(BASE), "app:1"), true);
        assertThat(out.get(0)).contains("The image app:1 already exists, renaming the old one with ID " + Digest.of(config));
        assertThat(graph.images().inspect("app:1").id()).isEqualTo(Digest.of(other).toString());
        assertThat(graph.images().inspect(Digest.of(config).toString()).repoTags()).isEmpty();
    }

    @Test
    void savesTheDocker25LayoutAndLoadsItBackElsewhere() throws Exception {
        byte[] config = TestImages.config(List.of(BASE, TOP), "");
        load(graph, modernArchive(config, List.of(compress(BASE, "gzip"), compress(TOP, "xz")), "busybox:latest"), true);
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        graph.saver().write(graph.saver().plan(List.of("busybox")), saved);

        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(saved.toByteArray()))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                names.add(entry.getName());
                if (entry.getName().equals("blobs/sha256/" + Digest.of(BASE).hex())) {
                    assertThat(tar.readAllBytes()).isEqualTo(BASE);
                }
                if (entry.getName().equals("index.json")) {
                    assertThat(new String(tar.readAllBytes(), StandardCharsets.UTF_8))
                            .contains("\"io.containerd.image.name\":\"docker.io/library/busybox:latest\"")
                            .contains("\"org.opencontainers.image.ref.name\":\"latest\"");
                }
            }
        }
        assertThat(names).contains("blobs/", "blobs/sha256/", "blobs/sha256/" + Digest.of(config).hex(),
                "blobs/sha256/" + Digest.of(BASE).hex(), "blobs/sha256/" + Digest.of(TOP).hex(),
                "index.json", "manifest.json", "oci-layout", "repositories");

        try (Graph second = open(dir.resolve("two"))) {
            assertThat(load(second, saved.toByteArray(), true)).containsExactly("Loaded image: busybox:latest\n");
            assertThat(second.images().inspect("busybox").id()).isEqualTo(Digest.of(config).toString());
        }
    }

    /** A plain OCI layout whose index.json lists one manifest per platform, the others' blobs absent. */
    @Test
    void anOciLayoutListingPlatformsLoadsThisHostsAndRefusesWhenNoneIsIt() throws Exception {
        byte[] config = TestImages.config(List.of(BASE), "");
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digest.of(config)
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                + "\"digest\":\"" + Digest.of(BASE) + "\",\"size\":" + BASE.length + "}]}").getBytes(StandardCharsets.UTF_8);
        String foreign = "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + "1".repeat(64)
                + "\",\"size\":400,\"platform\":{\"architecture\":\"s390x\",\"os\":\"linux\"},\"annotations\":"
                + "{\"io.containerd.image.name\":\"docker.io/library/multi:1\"}}";
        String ours = "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + Digest.of(manifest)
                + "\",\"size\":" + manifest.length + ",\"platform\":{\"architecture\":\"" + Platform.host().architecture()
                + "\",\"os\":\"linux\"},\"annotations\":{\"io.containerd.image.name\":\"docker.io/library/multi:1\"}}";
        refused(layout("[" + foreign + "]", config, manifest), "index.json names no image for linux/");
        byte[] both = layout("[" + foreign + "," + ours + "]", config, manifest);
        assertThat(load(graph, both, true)).containsExactly("Loaded image: multi:1\n");
        assertThat(graph.images().inspect("multi:1").id()).isEqualTo(Digest.of(config).toString());
    }

    private static byte[] layout(String manifests, byte[] config, byte[] manifest) {
        return new TarBuilder().file("oci-layout", "{\"imageLayoutVersion\": \"1.0.0\"}")
                .file("index.json", "{\"schemaVersion\":2,\"manifests\":" + manifests + "}")
                .file("blobs/sha256/" + Digest.of(config).hex(), config, 0644, 0, 0)
                .file("blobs/sha256/" + Digest.of(BASE).hex(), BASE, 0644, 0, 0)
                .file("blobs/sha256/" + Digest.of(manifest).hex(), manifest, 0644, 0, 0).build();
    }

    @Test
    void savingAnUnknownImageIsNotFound() {
        assertThatThrownBy(() -> graph.saver().plan(List.of("nosuch")))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    void refused(byte[] archive, String message) throws IOException {
        assertThatThrownBy(() -> load(graph, archive, true))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains(message);
                });
        assertNothingStaged(graph);
        assertThat(graph.content().list()).isEmpty();
        try (Stream<Path> layers = Files.list(dir.resolve("one/layers"))) {
            assertThat(layers).isEmpty();
        }
    }

    static void assertNothingStaged(Graph graph) throws IOException {
        try (Stream<Path> ingest = Files.list(graph.options().root().resolve("content/ingest"))) {
            assertThat(ingest).isEmpty();
        }
    }

    @Test
    void refusesWhatIsNotAnArchive() throws Exception {
        refused("not a tar at all, just some text. ".repeat(40).getBytes(StandardCharsets.US_ASCII), "invalid tar header");
        refused(new TarBuilder().file("hello", "x").build(), "does not contain a manifest.json");
    }

    @Test
    void refusesTruncatedArchives() throws Exception {
        byte[] config = TestImages.config(List.of(BASE, TOP), "");
        byte[] archive = modernArchive(config, List.of(BASE, TOP), "x:1");
        refused(java.util.Arrays.copyOf(archive, 1500), "unexpected EOF");
    }

    @Test
    void refusesLayersThatDoNotMatchTheirDiffId() throws Exception {
        byte[] config = TestImages.config(List.of(BASE, TOP), "");
        refused(modernArchive(config, List.of(BASE, compress(EMPTY, "gzip")), "x:1"), "invalid diffID for layer 1");
    }

    @Test
    void refusesHostileLayersAndKeepsNothingOfThem() throws Exception {
        byte[] evil = new TarBuilder().symlink("out", "/tmp").file("out/berth-escaped", "x").build();
        byte[] config = TestImages.config(List.of(BASE, evil), "");
        refused(modernArchive(config, List.of(BASE, evil), "evil:1"), "passes through the symlink");
        assertThat(Path.of("/tmp/berth-escaped")).doesNotExist();
        byte[] traversal = new TarBuilder().file("../../berth-escaped", "x").build();
        refused(modernArchive(TestImages.config(List.of(traversal), ""), List.of(traversal), "evil:2"), "path traversal");
    }
}
