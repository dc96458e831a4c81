package dev.berth.graph.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopySourcesTest {
    @TempDir
    Path context;

    @BeforeEach
    void files() throws Exception {
        Files.writeString(context.resolve("a.txt"), "a");
        Files.writeString(context.resolve("b.txt"), "b");
        Files.createDirectories(context.resolve("dir/sub"));
    }

    private static List<String> targets(List<CopySources.Placement> placements) {
        return placements.stream().map(CopySources.Placement::target).toList();
    }

    @Test
    void aFileGoesToTheDestinationOrIntoItWhenItEndsInASlash() throws Exception {
        assertThat(targets(CopySources.place(context, List.of("a.txt"), "/x/renamed", ""))).containsExactly("/x/renamed");
        assertThat(targets(CopySources.place(context, List.of("a.txt"), "/x/", ""))).containsExactly("/x/a.txt");
    }

    @Test
    void severalSourcesGoIntoTheDestinationAndADirectoryBecomesIt() throws Exception {
        assertThat(targets(CopySources.place(context, List.of("a.txt", "b.txt"), "/x", ""))).containsExactly("/x/a.txt", "/x/b.txt");
        assertThat(targets(CopySources.place(context, List.of("dir"), "/y/", ""))).containsExactly("/y");
    }

    @Test
    void aRelativeDestinationIsUnderTheWorkingDirectory() throws Exception {
        assertThat(targets(CopySources.place(context, List.of("a.txt"), "sub/", "/srv"))).containsExactly("/srv/sub/a.txt");
        assertThat(targets(CopySources.place(context, List.of("a.txt"), ".", "/srv"))).containsExactly("/srv/a.txt");
    }

    @Test
    void aSourceOutsideTheContextOrMissingIsRefused() throws Exception {
        assertThatThrownBy(() -> CopySources.place(context, List.of("../etc/passwd"), "/x", ""))
                .isInstanceOf(EngineException.class).hasMessageContaining("outside the build context");
        assertThatThrownBy(() -> CopySources.place(context, List.of("missing"), "/x", ""))
                .isInstanceOf(EngineException.class).hasMessageContaining("missing");
    }

    @Test
    void aPatternMatchesNamesInItsDirectoryAndMustMatchSomething() throws Exception {
        Files.writeString(context.resolve("dir/c.txt"), "c");
        assertThat(targets(CopySources.place(context, List.of("*.txt"), "/x/", ""))).containsExactly("/x/a.txt", "/x/b.txt");
        assertThat(targets(CopySources.place(context, List.of("dir/?.txt"), "/x/", ""))).containsExactly("/x/c.txt");
        assertThat(targets(CopySources.place(context, List.of("./[ab].txt"), "/x/", ""))).containsExactly("/x/a.txt", "/x/b.txt");
        assertThatThrownBy(() -> CopySources.place(context, List.of("*.md"), "/x/", ""))
                .isInstanceOf(EngineException.class).hasMessageContaining("no source files");
    }

    @Test
    void aSymlinkInTheContextIsFollowedInsideIt() throws Exception {
        Files.createSymbolicLink(context.resolve("escape"), Path.of("/etc"));
        assertThatThrownBy(() -> CopySources.place(context, List.of("escape/passwd"), "/x", ""))
                .isInstanceOf(EngineException.class).hasMessageContaining("not exist");
    }
}
