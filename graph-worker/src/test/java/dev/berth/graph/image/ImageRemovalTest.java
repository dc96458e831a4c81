package dev.berth.graph.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.image.ImageView;
import dev.berth.bus.contract.image.PruneImages;
import dev.berth.bus.contract.image.RemovedImages;
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

/**
 * docker rmi with dockerd's rules for images made from others (commit, build steps): a parent
 * with children is never deleted, removing a child prunes its untagged parents unless noprune,
 * and intermediate images are listed only with -a.
 */
class ImageRemovalTest {
    @TempDir
    Path dir;
    Graph graph;
    /** base (tagged base:1) ← middle (untagged) ← top (tagged top:1). */
    Digest base;
    Digest middle;
    Digest top;

    @BeforeEach
    void images() throws Exception {
        graph = Graph.open(new GraphOptions(dir, GraphOptions.DEFAULT_MAX_LAYER_BYTES), FileOps.linux(), Mounts.linux(),
                ImageEvents.NONE);
        base = image(List.of("base"), "base:1", null);
        middle = image(List.of("base", "middle"), null, base);
        top = image(List.of("base", "middle", "top"), "top:1", middle);
    }

    @AfterEach
    void close() {
        graph.close();
    }

    private Digest image(List<String> files, String tag, Digest parent) throws Exception {
        List<byte[]> layers = files.stream().map(name -> {
            try {
                return new TarBuilder().file(name, name).build();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        StringBuilder diffIds = new StringBuilder();
        for (byte[] layer : layers) {
            diffIds.append(diffIds.length() == 0 ? "" : ",").append('"').append(Digest.of(layer)).append('"');
        }
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-0" + files.size()
                + "T00:00:00Z\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}";
        List<ImageImporter.LayerSource> sources = layers.stream().map(ImageRemovalTest::source).toList();
        ImageRecord record = graph.importer().importImage(config.getBytes(StandardCharsets.UTF_8), sources,
                ImageImporter.Progress.NONE);
        if (parent != null) {
            graph.imageStore().setParent(record.id(), parent);
        }
        if (tag != null) {
            graph.imageStore().setReference(Reference.parse(tag), record.id(), false);
        }
        return record.id();
    }

    private static ImageImporter.LayerSource source(byte[] layer) {
        return new ImageImporter.LayerSource() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(layer);
            }

            @Override
            public long size() {
                return layer.length;
            }
        };
    }

    private boolean exists(Digest id) throws Exception {
        return graph.imageStore().get(id).isPresent();
    }

    private static List<String> deleted(List<RemovedImages.Item> items) {
        return items.stream().map(RemovedImages.Item::deleted).filter(d -> d != null).toList();
    }

    @Test
    void aParentWithChildrenCannotBeDeletedEvenForced() {
        for (boolean force : new boolean[] {false, true}) {
            assertThatThrownBy(() -> graph.images().remove(middle.toString(), force, true))
                    .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                    .hasMessage("conflict: unable to delete " + middle.shortId()
                            + " (cannot be forced) - image has dependent child images");
        }
    }

    @Test
    void untaggingAParentLeavesItAsAnIntermediateImage() throws Exception {
        List<RemovedImages.Item> items = graph.images().remove("base:1", false, true);
        assertThat(items).containsExactly(RemovedImages.Item.untagged("base:1"));
        assertThat(exists(base)).isTrue();
        List<String> listed = graph.images().list(false, Map.of()).stream().map(ImageView::id).toList();
        assertThat(listed).containsExactly(top.toString());
        List<String> all = graph.images().list(true, Map.of()).stream().map(ImageView::id).toList();
        assertThat(all).containsExactlyInAnyOrder(top.toString(), middle.toString(), base.toString());
        assertThat(graph.images().list(false, Map.of("dangling", List.of("true")))).isEmpty();
    }

    @Test
    void removingAChildPrunesItsUntaggedParentsUpToATaggedOne() throws Exception {
        List<RemovedImages.Item> items = graph.images().remove("top:1", false, true);
        assertThat(items.get(0)).isEqualTo(RemovedImages.Item.untagged("top:1"));
        assertThat(deleted(items)).startsWith(top.toString()).contains(middle.toString()).doesNotContain(base.toString());
        assertThat(exists(top)).isFalse();
        assertThat(exists(middle)).isFalse();
        assertThat(exists(base)).isTrue();
    }

    @Test
    void noPruneKeepsTheUntaggedParent() throws Exception {
        List<RemovedImages.Item> items = graph.images().remove("top:1", false, false);
        assertThat(deleted(items)).contains(top.toString()).doesNotContain(middle.toString());
        assertThat(exists(middle)).isTrue();
        // now a head, untagged: dangling
        assertThat(graph.images().list(false, Map.of("dangling", List.of("true"))).stream().map(ImageView::id))
                .containsExactly(middle.toString());
    }

    @Test
    void oneOfSeveralTagsOnlyUntagsAndADigestReferenceIsRemovedByItself() throws Exception {
        graph.imageStore().setReference(Reference.parse("other:2"), top, true);
        Reference digested = Reference.parse("top@" + Digest.of("a manifest"));
        graph.imageStore().setReference(digested, top, false);
        assertThat(graph.images().remove("other:2", false, true)).containsExactly(RemovedImages.Item.untagged("other:2"));
        assertThat(graph.images().remove(digested.familiarString(), false, true))
                .containsExactly(RemovedImages.Item.untagged(digested.familiarString()));
        assertThat(graph.imageStore().references(top)).containsExactly("top:1");
        assertThat(exists(top)).isTrue();
    }

    @Test
    void pruneStartsFromTheHeadsAndTakesTheUntaggedChain() throws Exception {
        graph.images().remove("top:1", false, false);
        graph.pruner().prune(new PruneImages(Map.of()));
        assertThat(exists(middle)).isFalse();
        assertThat(exists(base)).isTrue();
    }
}
