package dev.berth.exec.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OomKillsTest {
    @TempDir
    Path root;

    @Test
    void theCgroupsCounterSaysWhetherTheKernelKilledForMemory() throws Exception {
        Path v1 = Files.createDirectories(root.resolve("memory/berth/abc"));
        Files.writeString(v1.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
        assertThat(OomKills.counted(root, "/berth", "abc", false)).isTrue();
        Files.writeString(v1.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
        assertThat(OomKills.counted(root, "/berth", "abc", false)).isFalse();

        Path v2 = Files.createDirectories(root.resolve("berth/def"));
        Files.writeString(v2.resolve("memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
        assertThat(OomKills.counted(root, "/berth", "def", true)).isTrue();
        assertThat(OomKills.counted(root, "/berth", "gone", true)).isFalse();
    }
}
