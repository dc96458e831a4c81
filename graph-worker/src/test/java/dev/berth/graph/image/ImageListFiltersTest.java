package dev.berth.graph.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.image.ImageView;
import dev.berth.graph.Graph;
import dev.berth.graph.GraphOptions;
import dev.berth.graph.content.Digest;
import dev.berth.graph.reference.Reference;
import dev.berth.graph.testing.TarBuilder;
import dev.berth.host.FileOps;
import dev.berth.host.Mounts;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /images/json filters as dockerd applies them: every documented one honoured, any other refused. */
class ImageListFiltersTest {
    @TempDir
    Path dir;
    Graph graph;
    String old;
    String mid;
    String dangling;

    @BeforeEach
    void images() throws Exception {
        graph = Graph.open(new GraphOptions(dir, GraphOptions.DEFAULT_MAX_LAYER_BYTES), FileOps.linux(), Mounts.linux(),
                ImageEvents.NONE);
        old = image("2020-01-01T00:00:00Z", "{\"env\":\"prod\"}", "old:1");
        mid = image("2022-01-01T00:00:00Z", "{\"env\":\"dev\"}", "mid:1");
        dangling = image("2024-01-01T00:00:00Z", "{}", null);
    }

    @AfterEach
    void close() {
        graph.close();
    }

    private String image(String created, String labels, String tag) throws Exception {
        byte[] layer = new TarBuilder().file("made", created).build();
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"" + created + "\",\"config\":{\"Labels\":"
                + labels + "},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest.of(layer) + "\"]}}";
        ImageImporter.LayerSource source = new ImageImporter.LayerSource() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(layer);
            }

            @Override
            public long size() {
                return layer.length;
            }
        };
        ImageRecord record = graph.importer().importImage(config.getBytes(StandardCharsets.UTF_8), List.of(source),
                ImageImporter.Progress.NONE);
        if (tag != null) {
            graph.imageStore().setReference(Reference.parse(tag), record.id(), false);
        }
        return record.id().toString();
    }

    private List<String> list(Map<String, List<String>> filters) throws Exception {
        return graph.images().list(false, filters).stream().map(ImageView::id).toList();
    }

    @Test
    void withoutFiltersEveryImageNewestFirst() throws Exception {
        assertThat(list(Map.of())).containsExactly(dangling, mid, old);
    }

    @Test
    void danglingSelectsUntaggedImagesOrTheOthers() throws Exception {
        assertThat(list(Map.of("dangling", List.of("true")))).containsExactly(dangling);
        assertThat(list(Map.of("dangling", List.of("1")))).containsExactly(dangling);
        assertThat(list(Map.of("dangling", List.of("false")))).containsExactly(mid, old);
        assertThatThrownBy(() -> list(Map.of("dangling", List.of("maybe"))))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessage("invalid filter 'dangling=[maybe]'");
        assertThatThrownBy(() -> list(Map.of("dangling", List.of("true", "false"))))
                .hasMessage("invalid filter 'dangling=[true false]'");
    }

    @Test
    void labelByKeyOrKeyAndValue() throws Exception {
        assertThat(list(Map.of("label", List.of("env")))).containsExactly(mid, old);
        assertThat(list(Map.of("label", List.of("env=prod")))).containsExactly(old);
        assertThat(list(Map.of("label", List.of("env=prod", "other")))).isEmpty();
    }

    @Test
    void beforeSinceAndUntilCompareCreationTimes() throws Exception {
        assertThat(list(Map.of("before", List.of("mid:1")))).containsExactly(old);
        assertThat(list(Map.of("since", List.of("mid:1")))).containsExactly(dangling);
        assertThat(list(Map.of("since", List.of("old:1"), "before", List.of(dangling)))).containsExactly(mid);
        assertThat(list(Map.of("until", List.of("2021-01-01T00:00:00Z")))).containsExactly(old);
        assertThat(list(Map.of("until", List.of("1641081600")))).containsExactly(mid, old);
        assertThatThrownBy(() -> list(Map.of("before", List.of("nosuch"))))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void referenceMatchesTheFamiliarReferenceOrName() throws Exception {
        assertThat(list(Map.of("reference", List.of("mid")))).containsExactly(mid);
        assertThat(list(Map.of("reference", List.of("mid:1")))).containsExactly(mid);
        assertThat(list(Map.of("reference", List.of("*:1")))).containsExactly(mid, old);
        assertThat(list(Map.of("reference", List.of("m*")))).containsExactly(mid);
        assertThat(list(Map.of("reference", List.of("nothing")))).isEmpty();
    }

    @Test
    void anUnknownFilterIsRefusedInDockerdsWords() {
        assertThatThrownBy(() -> list(Map.of("colour", List.of("red"))))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessage("invalid filter 'colour'");
    }
}
