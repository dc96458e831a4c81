package dev.berth.graph.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootedPathsTest {
    @TempDir
    Path root;

    @Test
    void linksAreFollowedInsideTheRootAsIfItWereSlash() throws Exception {
        Files.createDirectories(root.resolve("real/etc"));
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../real"));
        Files.createSymbolicLink(root.resolve("real/etc/self"), Path.of("."));
        assertThat(RootedPaths.resolve(root, "abs/passwd")).isEqualTo(root.resolve("etc/passwd"));
        assertThat(RootedPaths.resolve(root, "up/etc/self/self/x")).isEqualTo(root.resolve("real/etc/x"));
        assertThat(RootedPaths.resolve(root, "../../etc/shadow")).isEqualTo(root.resolve("etc/shadow"));
        assertThat(RootedPaths.resolve(root, "/")).isEqualTo(root);
    }

    @Test
    void aLinkLoopIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        assertThatThrownBy(() -> RootedPaths.resolve(root, "a/x")).isInstanceOf(EngineException.class)
                .hasMessageContaining("symbolic links");
    }
}
