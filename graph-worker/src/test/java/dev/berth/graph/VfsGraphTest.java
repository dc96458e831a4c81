package dev.berth.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.contract.image.ContainerChanges;
import dev.berth.bus.contract.image.ContainerChangesRequest;
import dev.berth.bus.contract.image.MountedSnapshot;
import dev.berth.graph.image.ImageEvents;
import dev.berth.graph.image.ImageImporter;
import dev.berth.graph.image.ImageRecord;
import dev.berth.graph.snapshot.StorageDriver;
import dev.berth.graph.testing.TestImages;
import dev.berth.host.FileOps;
import dev.berth.host.Mounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The graph under vfs: whole layers and whole container copies, no mounts, and the store's driver kept. */
class VfsGraphTest {
    static final String CONTAINER = "v".repeat(64);

    @TempDir
    Path dir;
    Graph graph;

    @BeforeEach
    void open() throws Exception {
        graph = open(StorageDriver.VFS);
    }

    Graph open(StorageDriver driver) throws Exception {
        ImageEvents sink = (action, image, name) -> { };
        return Graph.open(new GraphOptions(dir, GraphOptions.DEFAULT_MAX_LAYER_BYTES).withStorageDriver(driver), FileOps.linux(),
                Mounts.linux(), sink);
    }

    @AfterEach
    void close() {
        graph.close();
    }

    ImageRecord importTwoLayers() throws Exception {
        byte[] config = TestImages.config(List.of(GraphTest.BASE, GraphTest.TOP), "");
        return graph.importer().importImage(config, List.of(GraphTest.source(GraphTest.BASE), GraphTest.source(GraphTest.TOP)),
                ImageImporter.Progress.NONE);
    }

    @Test
    void eachLayerIsAWholeTreeWithWhiteoutsApplied() throws Exception {
        ImageRecord image = importTwoLayers();
        Path top = graph.layers().diffDirectory(image.topChain());
        assertThat(Files.readString(top.resolve("bin/hello"))).isEqualTo("hello\n");
        assertThat(Files.readString(top.resolve("etc/added"))).isEqualTo("added\n");
        assertThat(top.resolve("etc/gone")).doesNotExist();
        assertThat(Files.readString(graph.layers().diffDirectory(graph.layers().get(image.topChain()).get().parent())
                .resolve("etc/gone"))).isEqualTo("x");
        assertThat(graph.images().inspect(image.id().toString()).graphDriver().name()).isEqualTo("vfs");
        assertThat(graph.images().inspect(image.id().toString()).graphDriver().data()).isEmpty();
        assertThat(graph.summary().driver()).isEqualTo("vfs");
        assertThat(graph.summary().driverStatus()).isEmpty();
    }

    @Test
    void aContainerIsAPrivateCopyWhoseChangesAreFoundByComparison() throws Exception {
        ImageRecord image = importTwoLayers();
        graph.prepareSnapshot(CONTAINER, image.id().toString());
        MountedSnapshot mounted = graph.mountSnapshot(CONTAINER);
        assertThat(mounted.upperDir()).isNull();
        assertThat(mounted.lowerDir()).isNull();
        Path rootfs = Path.of(mounted.rootfs());
        assertThat(Files.readString(rootfs.resolve("etc/added"))).isEqualTo("added\n");
        Files.writeString(rootfs.resolve("etc/new"), "mine");
        Files.delete(rootfs.resolve("bin/hello"));
        assertThat(Files.exists(graph.layers().diffDirectory(image.topChain()).resolve("bin/hello"))).isTrue();
        assertThat(Mounts.linux().mountsUnder(dir)).isEmpty();
        assertThat(graph.snapshots().holders(image.id())).singleElement().matches(lease -> lease.running());

        ContainerChanges changes = graph.committer().changes(new ContainerChangesRequest(CONTAINER, List.of()));
        assertThat(changes.changes()).extracting(c -> c.kind().name().charAt(0) + " " + c.path())
                .containsExactly("M /bin", "D /bin/hello", "M /etc", "A /etc/new");

        graph.unmountSnapshot(CONTAINER);
        assertThat(graph.snapshots().holders(image.id())).singleElement().matches(lease -> !lease.running());
        graph.mountSnapshot(CONTAINER);
        assertThat(Files.readString(rootfs.resolve("etc/new"))).isEqualTo("mine");
        graph.removeSnapshot(CONTAINER);
        assertThat(rootfs.getParent()).doesNotExist();
    }

    @Test
    void halfCopiesAreSweptAtStartAndAStoreKeepsItsDriver() throws Exception {
        ImageRecord image = importTwoLayers();
        graph.prepareSnapshot(CONTAINER, image.id().toString());
        Path snapshot = dir.resolve("snapshots").resolve(CONTAINER);
        Path halfCopy = Files.createDirectories(snapshot.resolve(".tmp-" + UUID.randomUUID()).resolve("bin"));
        Path halfLayer = Files.createDirectories(dir.resolve("layers").resolve(".tmp-" + UUID.randomUUID()).resolve("diff"));
        graph.close();

        graph = open(StorageDriver.VFS);
        assertThat(halfCopy.getParent()).doesNotExist();
        assertThat(halfLayer.getParent()).doesNotExist();
        assertThat(snapshot).exists();
        graph.close();

        assertThatThrownBy(() -> open(StorageDriver.OVERLAY2)).isInstanceOf(Graph.StorageDriverMismatchException.class)
                .hasMessageContaining("was made with the vfs storage driver, not overlay2");
        graph = open(StorageDriver.VFS);
        assertThat(graph.snapshots().get(CONTAINER)).isPresent();
    }
}
