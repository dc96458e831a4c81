package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker image prune and docker system df, on a daemon of their own since prune -a takes every unused image. */
class PruneIT {
    private static BerthDaemon berth;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        berth = BerthDaemon.start();
        berth.loadBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    @Test
    void pruneTakesDanglingImagesThenEveryUnusedOneAndDfCountsThem() throws Exception {
        berth.docker("create", "--name", "prune-keeper", "busybox", "true").ok();
        berth.docker("run", "--name", "prune-source", "busybox", "sh", "-c", "echo one > /one").ok();
        Path tar = work.resolve("fs.tar");
        berth.docker("export", "-o", tar.toString(), "prune-source").ok();
        berth.docker("rm", "prune-source").ok();
        String first = berth.docker("import", "-m", "first", tar.toString(), "pruned:latest").ok().trim();
        String second = berth.docker("import", "-m", "second", tar.toString(), "pruned:latest").ok().trim();
        assertThat(first).isNotEqualTo(second);

        String df = berth.docker("system", "df", "--format", "{{.Type}} {{.TotalCount}} {{.Active}}").ok();
        assertThat(df).contains("Images 3 1\n").contains("Containers 1 0\n");
        // busybox's layer is in use (SharedSize 0, all its bytes used); the imported layer, about as
        // large (busybox's files plus /one), is all that can be reclaimed
        String reclaimable = berth.docker("system", "df", "--format", "{{.Type}} {{.Reclaimable}}").ok();
        assertThat(reclaimable).containsPattern("Images [0-9.]+[kM]B \\(50%\\)");

        CliResult refused = berth.docker("image", "prune", "-f", "--filter", "until=1h");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("invalid filter 'until'");

        String dangling = berth.docker("image", "prune", "-f").ok();
        assertThat(dangling).contains("deleted: " + first).doesNotContain(second);
        assertThat(berth.docker("images", "-q", "--no-trunc").ok().lines().sorted().toList()).hasSize(2).contains(second);

        String all = berth.docker("image", "prune", "-a", "-f").ok();
        assertThat(all).contains("untagged: pruned:latest").contains("deleted: " + second)
                .containsPattern("Total reclaimed space: [1-9][0-9.]*[kM]B");
        assertThat(berth.docker("images", "--format", "{{.Repository}}").ok()).isEqualTo("busybox\n");
        berth.docker("rm", "prune-keeper").ok();
    }
}
