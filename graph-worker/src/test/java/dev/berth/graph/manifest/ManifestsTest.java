package dev.berth.graph.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestsTest {
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);
    private static final String D3 = "sha256:" + "3".repeat(64);
    private static final String D4 = "sha256:" + "4".repeat(64);

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String entry(String digest, String os, String arch, String variant, boolean attestation) {
        return "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + digest + "\",\"size\":10,"
                + "\"platform\":{\"os\":\"" + os + "\",\"architecture\":\"" + arch + "\""
                + (variant != null ? ",\"variant\":\"" + variant + "\"" : "") + "}"
                + (attestation ? ",\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\"}" : "") + "}";
    }

    private static ImageIndex index(String... entries) {
        return Manifests.parseIndex(bytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[" + String.join(",", entries) + "]}"));
    }

    @Test
    void aDockerManifestIsReadIntoRecords() {
        ManifestDocument parsed = Manifests.parse(bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST
                + "\",\"config\":{\"mediaType\":\"" + MediaTypes.DOCKER_CONFIG + "\",\"digest\":\"" + D1 + "\",\"size\":7},"
                + "\"layers\":[{\"mediaType\":\"" + MediaTypes.DOCKER_LAYER_GZIP + "\",\"digest\":\"" + D2
                + "\",\"size\":99,\"unknown\":1}]}"), null);
        assertThat(parsed).isInstanceOf(ImageManifest.class);
        ImageManifest manifest = (ImageManifest) parsed;
        assertThat(manifest.config().digest()).isEqualTo(D1);
        assertThat(manifest.layers()).extracting(Descriptor::size).containsExactly(99L);
    }

    @Test
    void theKindComesFromContentTypeOrFieldsWhenTheDocumentHasNoMediaType() {
        String bare = "{\"schemaVersion\":2,\"manifests\":[" + entry(D1, "linux", "amd64", null, false) + "]}";
        assertThat(Manifests.parse(bytes(bare), null)).isInstanceOf(ImageIndex.class);
        assertThat(Manifests.parse(bytes(bare), MediaTypes.DOCKER_MANIFEST_LIST + "; charset=utf-8")).isInstanceOf(ImageIndex.class);
    }

    @Test
    void schemaOneAndUnknownTypesAreRefusedClearly() {
        assertThatThrownBy(() -> Manifests.parse(bytes("{\"schemaVersion\":1,\"name\":\"x\"}"), null))
                .hasMessageContaining("schema 1 has been removed");
        assertThatThrownBy(() -> Manifests.parse(bytes("{\"schemaVersion\":2,\"mediaType\":\"text/plain\"}"), null))
                .hasMessageContaining("unsupported manifest media type \"text/plain\"");
        assertThatThrownBy(() -> Manifests.parse(bytes("not json"), null)).isInstanceOf(EngineException.class)
                .hasMessageStartingWith("invalid manifest");
    }

    @Test
    void selectionSkipsAttestationsAndMatchesVariantWhenAsked() {
        ImageIndex index = index(entry(D4, "unknown", "unknown", null, true), entry(D1, "linux", "arm", "v6", false),
                entry(D2, "linux", "arm", "v7", false), entry(D3, "linux", "amd64", null, false));
        assertThat(Manifests.select(index, Platform.parse("linux/amd64")).digest()).isEqualTo(D3);
        assertThat(Manifests.select(index, Platform.parse("linux/arm/v7")).digest()).isEqualTo(D2);
        assertThat(Manifests.select(index, Platform.parse("linux/arm")).digest()).isEqualTo(D1);
        assertThat(Manifests.select(index, Platform.parse("linux/x86_64")).digest()).isEqualTo(D3);
        assertThatThrownBy(() -> Manifests.select(index, Platform.parse("linux/s390x")))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessage("no matching manifest for linux/s390x in the manifest list entries");
    }

    @Test
    void archiveManifestJsonRoundTrips() {
        List<ArchiveManifestEntry> entries = Manifests.parseArchiveManifest(bytes(
                "[{\"Config\":\"blobs/sha256/aa\",\"RepoTags\":[\"busybox:latest\"],\"Layers\":[\"l1\",\"l2\"]}]"));
        assertThat(entries).containsExactly(new ArchiveManifestEntry("blobs/sha256/aa", List.of("busybox:latest"),
                List.of("l1", "l2")));
        assertThat(Manifests.parseArchiveManifest(Manifests.bytes(entries))).isEqualTo(entries);
        assertThat(new String(Manifests.bytes(List.of(new ArchiveManifestEntry("c", List.of(), List.of("l")))),
                StandardCharsets.UTF_8)).isEqualTo("[{\"Config\":\"c\",\"RepoTags\":null,\"Layers\":[\"l\"]}]");
        assertThatThrownBy(() -> Manifests.parseArchiveManifest(bytes("[{\"Layers\":[]}]")))
                .hasMessageContaining("has no Config");
    }
}
