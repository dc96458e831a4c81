package dev.berth.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.contract.image.BuildCacheRecord;
import dev.berth.bus.contract.image.ImageView;
import dev.berth.bus.contract.image.RemovedImages;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.graph.image.ImageEvents;
import dev.berth.graph.image.ImageImporter;
import dev.berth.graph.image.ImageRecord;
import dev.berth.graph.reference.Reference;
import dev.berth.graph.testing.TarBuilder;
import dev.berth.graph.testing.TestImages;
import dev.berth.host.FileOps;
import dev.berth.host.Mounts;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The graph over a real directory: import, inspect, snapshots mounted with overlayfs. */
class GraphTest {
    static final String CONTAINER = "c".repeat(64);

    @TempDir
    Path dir;
    Graph graph;
    final List<String> events = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        graph = open(dir);
    }

    Graph open(Path root) throws Exception {
        ImageEvents sink = (action, image, name) -> events.add(action + " " + name);
        return Graph.open(new GraphOptions(root, GraphOptions.DEFAULT_MAX_LAYER_BYTES), FileOps.linux(), Mounts.linux(), sink);
    }

    @AfterEach
    void close() throws Exception {
        for (Path mount : Mounts.linux().mountsUnder(dir)) {
            Mounts.linux().unmount(mount, Mounts.MNT_DETACH);
        }
        graph.close();
    }

    static ImageImporter.LayerSource source(byte[] bytes) {
        return new ImageImporter.LayerSource() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public long size() {
                return bytes.length;
            }
        };
    }

    static final byte[] BASE = new TarBuilder().dir("bin").file("bin/hello", "hello\n").file("etc/gone", "x")
            .dir("etc").build();
    static final byte[] TOP = new TarBuilder().dir("etc").file("etc/.wh.gone", "").file("etc/added", "added\n").build();

    ImageRecord importTwoLayers(String tag) throws Exception {
        byte[] config = TestImages.config(List.of(BASE, TOP), ",\"Labels\":{\"a\":\"b\"}");
        ImageRecord record = graph.importer().importImage(config, List.of(source(BASE), source(TOP)), ImageImporter.Progress.NONE);
        if (tag != null) {
            graph.imageStore().setReference(Reference.parse(tag).withDefaultTag(), record.id(), false);
        }
        return record;
    }

    @Test
    void inspectShowsTheViewByNameIdAndPrefix() throws Exception {
        ImageRecord record = importTwoLayers("busybox");
        ImageView view = graph.images().inspect("busybox");
        assertThat(view.id()).isEqualTo(record.id().toString());
        assertThat(view.repoTags().get(0)).isEqualTo("busybox:latest");
        assertThat(view.config().path("Cmd").get(0).asText()).isEqualTo("sh");
        assertThat(view.rootfs().layers()).hasSize(2);
        assertThat(view.os()).isEqualTo("linux");
        assertThat(view.size()).isEqualTo("hello\n".length() + 1 + "added\n".length());
        assertThat(graph.images().inspect("docker.io/library/busybox:latest").id()).isEqualTo(record.id().toString());
        assertThat(graph.images().inspect(record.id().toString()).id()).isEqualTo(record.id().toString());
        assertThat(graph.images().inspect(record.id().hex()).id()).isEqualTo(record.id().toString());
        assertThat(graph.images().inspect(record.id().hex().substring(0, 1)).id()).isEqualTo(record.id().toString());
        assertThat(graph.images().inspect("sha256:" + record.id().hex().substring(0, 5)).id())
                .isEqualTo(record.id().toString());
        assertThatThrownBy(() -> graph.images().inspect("nosuch"))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
                    assertThat(e.getMessage()).isEqualTo("No such image: nosuch:latest");
                });
    }

    @Test
    void importingAgainReusesTheLayers() throws Exception {
        ImageRecord first = importTwoLayers(null);
        Path diff = graph.layers().diffDirectory(first.topChain());
        long inode = (Long) Files.getAttribute(diff, "unix:ino");
        ImageRecord second = importTwoLayers(null);
        assertThat(second.id()).isEqualTo(first.id());
        assertThat((Long) Files.getAttribute(graph.layers().diffDirectory(second.topChain()), "unix:ino")).isEqualTo(inode);
        assertThat(graph.content().exists(dev.berth.graph.content.Digest.of(TOP))).isTrue();
    }

    @Test
    void snapshotsMountTheLayersWithOverlayAndKeepChanges() throws Exception {
        ImageRecord image = importTwoLayers("busybox");
        graph.prepareSnapshot(CONTAINER, "busybox");
        graph.prepareSnapshot(CONTAINER, image.id().toString());
        Path rootfs = Path.of(graph.mountSnapshot(CONTAINER).rootfs());
        assertThat(Files.readString(rootfs.resolve("bin/hello"))).isEqualTo("hello\n");
        assertThat(Files.readString(rootfs.resolve("etc/added"))).isEqualTo("added\n");
        assertThat(rootfs.resolve("etc/gone")).doesNotExist();
        Files.writeString(rootfs.resolve("etc/new"), "mine");
        assertThat(graph.mountSnapshot(CONTAINER).rootfs()).isEqualTo(rootfs.toString());
        assertThat(Mounts.linux().mountsUnder(rootfs)).containsExactly(rootfs);

        graph.unmountSnapshot(CONTAINER);
        assertThat(Mounts.linux().mountsUnder(rootfs)).isEmpty();
        graph.unmountSnapshot(CONTAINER);
        graph.mountSnapshot(CONTAINER);
        assertThat(Files.readString(rootfs.resolve("etc/new"))).isEqualTo("mine");

        graph.removeSnapshot(CONTAINER);
        assertThat(Mounts.linux().mountsUnder(dir)).isEmpty();
        assertThat(rootfs.getParent()).doesNotExist();
        graph.removeSnapshot(CONTAINER);
    }

    @Test
    void aBuildStepIsFoundAgainAfterAReopenAndForgottenWithItsImage() throws Exception {
        String parent = importTwoLayers("busybox").id().toString();
        byte[] childConfig = TestImages.config(List.of(BASE, TOP), ",\"Labels\":{\"step\":\"made\"}");
        String child = graph.importer().importImage(childConfig, List.of(source(BASE), source(TOP)),
                ImageImporter.Progress.NONE).id().toString();
        graph.buildCache().remember(parent, "RUN make", child, "RUN make");
        assertThat(graph.buildCache().find(parent, "RUN make")).contains(child);
        assertThat(graph.buildCache().find(parent, "RUN make other")).isEmpty();
        assertThat(graph.buildCache().find(child, "RUN make")).isEmpty();
        graph.close();
        graph = open(dir);
        assertThat(graph.buildCache().find(parent, "RUN make")).contains(child);
        graph.images().remove(child, false, true);
        assertThat(graph.buildCache().find(parent, "RUN make")).isEmpty();
    }

    @Test
    void buildCacheRecordsNameTheirStepTheirUseAndTheRecordsThatMadeTheirParent() throws Exception {
        String parent = importTwoLayers("busybox").id().toString();
        byte[] childConfig = TestImages.config(List.of(BASE, TOP), ",\"Labels\":{\"step\":\"made\"}");
        String child = graph.importer().importImage(childConfig, List.of(source(BASE), source(TOP)),
                ImageImporter.Progress.NONE).id().toString();
        graph.buildCache().remember(parent, "RUN make", child, "RUN make");
        byte[] grandchildConfig = TestImages.config(List.of(BASE, TOP), ",\"Labels\":{\"step\":\"labelled\"}");
        String grandchild = graph.importer().importImage(grandchildConfig, List.of(source(BASE), source(TOP)),
                ImageImporter.Progress.NONE).id().toString();
        graph.buildCache().remember(child, "LABEL a=b", grandchild, "LABEL a=b");
        assertThat(graph.buildCache().usage().records()).allSatisfy(record -> assertThat(record.lastUsedAt()).isNull());
        graph.buildCache().find(parent, "RUN make");

        List<BuildCacheRecord> records = graph.buildCache().usage().records();
        assertThat(records).extracting(BuildCacheRecord::description).containsExactly("RUN make", "LABEL a=b");
        BuildCacheRecord made = records.get(0);
        assertThat(made.usageCount()).isEqualTo(2);
        assertThat(made.lastUsedAt()).isNotNull();
        assertThat(made.parents()).isEmpty();
        assertThat(records.get(1).parents()).containsExactly(made.id());
        assertThat(records.get(1).usageCount()).isEqualTo(1);
        assertThat(records).allSatisfy(record -> assertThat(record.size()).isZero());

        assertThat(graph.buildCache().prune().cachesDeleted()).containsExactly(made.id(), records.get(1).id());
        assertThat(graph.buildCache().usage().records()).isEmpty();
    }

    @Test
    void aMountSurvivesADaemonRestart() throws Exception {
        importTwoLayers("busybox");
        graph.prepareSnapshot(CONTAINER, "busybox");
        String rootfs = graph.mountSnapshot(CONTAINER).rootfs();
        graph.close();
        graph = open(dir);
        assertThat(graph.mountSnapshot(CONTAINER).rootfs()).isEqualTo(rootfs);
        assertThat(Mounts.linux().mountsUnder(Path.of(rootfs))).hasSize(1);
        graph.removeSnapshot(CONTAINER);
    }

    @Test
    void unknownSnapshotsAreNotFoundAndBadIdsRefused() {
        assertThatThrownBy(() -> graph.mountSnapshot(CONTAINER))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> graph.prepareSnapshot("../x", "busybox"))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        assertThatThrownBy(() -> graph.prepareSnapshot(CONTAINER, "busybox"))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void summaryCountsImages() throws Exception {
        importTwoLayers("busybox");
        var summary = graph.summary();
        assertThat(summary.images()).isEqualTo(1);
        assertThat(summary.driver()).isEqualTo("overlay2");
        assertThat(summary.driverStatus().get(0).get(0)).isEqualTo("Backing Filesystem");
    }

    @Test
    void layersOfARemovedImageStayWhileASnapshotUsesThem() throws Exception {
        ImageRecord image = importTwoLayers("busybox");
        graph.prepareSnapshot(CONTAINER, "busybox");
        assertThatThrownBy(() -> graph.images().remove("busybox", false, true))
                .hasMessageContaining("conflict: unable to remove repository reference \"busybox\" (must force) - container cccccccccccc");
        assertThatThrownBy(() -> graph.images().remove(image.id().hex().substring(0, 12), false, true))
                .hasMessage("conflict: unable to delete " + image.id().shortId()
                        + " (must be forced) - image is being used by stopped container cccccccccccc");
        graph.images().remove(image.id().toString(), true, true);
        assertThat(graph.layers().diffDirectory(image.topChain())).isDirectory();
        Path rootfs = Path.of(graph.mountSnapshot(CONTAINER).rootfs());
        assertThat(rootfs.resolve("bin/hello")).exists();
        graph.removeSnapshot(CONTAINER);
        assertThat(graph.layers().diffDirectory(image.topChain())).doesNotExist();
        assertThat(graph.content().list()).isEmpty();
        try (var left = Files.list(dir.resolve("l"))) {
            assertThat(left).isEmpty();
        }
        assertThat(Files.exists(dir.resolve("layers"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void aMountedSnapshotIsARunningContainerWhoseImageCannotBeDeleted() throws Exception {
        ImageRecord image = importTwoLayers("busybox");
        String shortId = image.id().shortId();
        graph.prepareSnapshot(CONTAINER, "busybox");
        graph.mountSnapshot(CONTAINER);

        assertThatThrownBy(() -> graph.images().remove("busybox", false, true))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessage("conflict: unable to remove repository reference \"busybox\" (must force) - container cccccccccccc"
                        + " is using its referenced image " + shortId);
        assertThatThrownBy(() -> graph.images().remove(image.id().toString(), true, true))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessage("conflict: unable to delete " + shortId
                        + " (cannot be forced) - image is being used by running container cccccccccccc");
        assertThat(graph.images().inspect("busybox").id()).isEqualTo(image.id().toString());

        // As dockerd: forcing by name only untags; the image itself stays while the container runs.
        assertThat(graph.images().remove("busybox", true, true)).containsExactly(RemovedImages.Item.untagged("busybox:latest"));
        assertThat(graph.images().inspect(image.id().toString()).containers()).isEqualTo(1);
        assertThatThrownBy(() -> graph.images().remove(shortId, true, true))
                .hasMessageContaining("(cannot be forced) - image is being used by running container cccccccccccc");

        graph.unmountSnapshot(CONTAINER);
        graph.images().remove(shortId, true, true);
        assertThatThrownBy(() -> graph.images().inspect(image.id().toString()))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        Path rootfs = Path.of(graph.mountSnapshot(CONTAINER).rootfs());
        assertThat(Files.readString(rootfs.resolve("bin/hello"))).isEqualTo("hello\n");
        graph.removeSnapshot(CONTAINER);
        assertThat(graph.layers().diffDirectory(image.topChain())).doesNotExist();
    }

    @Test
    void removingTheSnapshotReleasesItsLease() throws Exception {
        ImageRecord image = importTwoLayers("busybox");
        graph.prepareSnapshot(CONTAINER, "busybox");
        assertThat(graph.images().inspect("busybox").containers()).isEqualTo(1);
        graph.removeSnapshot(CONTAINER);
        assertThat(graph.images().inspect("busybox").containers()).isZero();
        var base = graph.layers().stack(image.topChain()).get(1).chainId();
        assertThat(graph.images().remove("busybox", false, true)).containsExactlyInAnyOrder(
                RemovedImages.Item.untagged("busybox:latest"), RemovedImages.Item.deleted(image.id().toString()),
                RemovedImages.Item.deleted(image.topChain().toString()), RemovedImages.Item.deleted(base.toString()));
    }
}
