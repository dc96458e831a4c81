package dev.berth.graph.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalContentStoreTest {
    @TempDir
    Path dir;

    @Test
    void commitsVerifiedBlobsUnderTheirDigest() throws Exception {
        LocalContentStore store = new LocalContentStore(dir);
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.of(data);
        try (ContentStore.Writer writer = store.writer()) {
            writer.stream().write(data);
            assertThat(writer.commit(digest)).isEqualTo(digest);
        }
        assertThat(store.exists(digest)).isTrue();
        assertThat(dir.resolve("blobs/sha256/" + digest.hex())).hasContent("hello");
        assertThat(store.readVerified(digest, 100)).isEqualTo(data);
        assertThat(store.list()).containsExactly(digest);
        try (var ingest = Files.list(dir.resolve("ingest"))) {
            assertThat(ingest).isEmpty();
        }
    }

    @Test
    void aSealedBlobReadsBackIsDiscardedOnCloseAndCanStillBeCommitted() throws Exception {
        LocalContentStore store = new LocalContentStore(dir);
        byte[] data = "layer".getBytes(StandardCharsets.UTF_8);
        try (ContentStore.Writer writer = store.writer()) {
            writer.stream().write(data);
            assertThat(writer.seal()).isEqualTo(Digest.of(data));
            try (var in = writer.openStaged()) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
        }
        try (var ingest = Files.list(dir.resolve("ingest"))) {
            assertThat(ingest).isEmpty();
        }
        try (ContentStore.Writer writer = store.writer()) {
            writer.stream().write(data);
            writer.seal();
            assertThat(writer.commit(Digest.of(data))).isEqualTo(Digest.of(data));
        }
        assertThat(store.readVerified(Digest.of(data), 100)).isEqualTo(data);
    }

    @Test
    void refusesADigestMismatchAndLeavesNothing() throws Exception {
        LocalContentStore store = new LocalContentStore(dir);
        Digest wrong = Digest.of("other");
        try (ContentStore.Writer writer = store.writer()) {
            writer.stream().write("hello".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> writer.commit(wrong))
                    .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                    .hasMessageContaining("digest mismatch");
        }
        assertThat(store.exists(wrong)).isFalse();
        assertThat(store.list()).isEmpty();
        try (var ingest = Files.list(dir.resolve("ingest"))) {
            assertThat(ingest).isEmpty();
        }
    }

    @Test
    void anUncommittedWriterLeavesNothing() throws Exception {
        LocalContentStore store = new LocalContentStore(dir);
        try (ContentStore.Writer writer = store.writer()) {
            writer.stream().write(new byte[1000]);
            writer.finish();
            assertThat(writer.openStaged().readAllBytes()).hasSize(1000);
        }
        try (var ingest = Files.list(dir.resolve("ingest"))) {
            assertThat(ingest).isEmpty();
        }
    }

    @Test
    void aBlobChangedBehindTheStoresBackIsNotTrusted() throws Exception {
        LocalContentStore store = new LocalContentStore(dir);
        Digest digest;
        try (ContentStore.Writer writer = store.writer()) {
            writer.stream().write("good".getBytes(StandardCharsets.UTF_8));
            digest = writer.commit(null);
        }
        Files.writeString(store.path(digest), "evil");
        assertThatThrownBy(() -> store.readVerified(digest, 100)).hasMessageContaining("corrupt");
    }

    @Test
    void chainIdsFollowTheSpec() {
        Digest a = Digest.of("a");
        Digest b = Digest.of("b");
        assertThat(dev.berth.graph.layer.ChainId.of(java.util.List.of(a, b)))
                .containsExactly(a, Digest.of(a + " " + b));
        assertThat(dev.berth.graph.layer.ChainId.top(java.util.List.of())).isNull();
    }
}
