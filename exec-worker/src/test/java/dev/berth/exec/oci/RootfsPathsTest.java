package dev.berth.exec.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsPathsTest {
    @TempDir
    Path root;

    @Test
    void plainPathsStayUnderTheRoot() throws Exception {
        assertThat(RootfsPaths.resolve(root, "/etc/passwd")).isEqualTo(root.resolve("etc/passwd"));
        assertThat(RootfsPaths.resolve(root, "relative/../x")).isEqualTo(root.resolve("x"));
        assertThat(RootfsPaths.resolve(root, "/../../../etc")).isEqualTo(root.resolve("etc"));
    }

    @Test
    void absoluteSymlinksRestartAtTheContainersRoot(@TempDir Path outside) throws Exception {
        Files.createDirectories(root.resolve("usr/lib"));
        Files.createSymbolicLink(root.resolve("lib"), Path.of("/usr/lib"));
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../../.."));
        assertThat(RootfsPaths.resolve(root, "/lib/x")).isEqualTo(root.resolve("usr/lib/x"));
        assertThat(RootfsPaths.resolve(root, "/escape/file").startsWith(root)).isTrue();
        assertThat(RootfsPaths.resolve(root, "/up/etc")).isEqualTo(root.resolve("etc"));
    }

    @Test
    void mkdirsNeverCreatesOutsideTheRoot(@TempDir Path outside) throws Exception {
        Files.createSymbolicLink(root.resolve("app"), outside);
        Path made = RootfsPaths.mkdirs(root, "/app/work/dir");
        assertThat(made.startsWith(root)).isTrue();
        assertThat(Files.isDirectory(made)).isTrue();
        try (var stream = Files.list(outside)) {
            assertThat(stream).isEmpty();
        }
    }

    @Test
    void symlinkLoopsAreRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("a"), Path.of("/b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("/a"));
        assertThatThrownBy(() -> RootfsPaths.resolve(root, "/a/x")).isInstanceOf(IOException.class)
                .hasMessageContaining("too many levels");
    }
}
