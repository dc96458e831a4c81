package dev.berth.it;

import static dev.berth.it.BerthDaemon.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker diff, commit, export and import — the real CLI against a real berthd. */
class CommitIT {
    @TempDir
    Path work;

    private static BerthDaemon berth;

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
    void diffNamesAddedChangedAndDeletedPaths() throws Exception {
        String name = unique("diff");
        berth.docker("run", "--name", name, "busybox", "sh", "-c", "echo hi > /tmp/new; rm /bin/ls; mkdir -p /a/b").ok();
        assertThat(berth.docker("diff", name).ok()).isEqualTo("""
                A /a
                A /a/b
                C /bin
                D /bin/ls
                C /tmp
                A /tmp/new
                """);
        berth.docker("rm", name).ok();
    }

    @Test
    void anUnchangedContainerHasNoDiffAndAnUnknownOneIsNotFound() throws Exception {
        String name = unique("nodiff");
        berth.docker("run", "--name", name, "busybox", "true").ok();
        assertThat(berth.docker("diff", name).ok()).isEmpty();
        berth.docker("rm", name).ok();
        CliResult unknown = berth.docker("diff", unique("absent"));
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("No such container");
    }

    @Test
    void aCommittedImageHasTheWrittenFileNotTheDeletedOneAndTheChangedConfig() throws Exception {
        String name = unique("commit");
        String image = unique("committed") + ":v1";
        berth.docker("run", "--name", name, "busybox", "sh", "-c",
                "echo written > /tmp/file; chown 12:34 /tmp/file; chmod 4710 /tmp/file; rm /bin/ls; mkdir -p /opt/x").ok();
        String id = berth.docker("commit", "-m", "a message", "-a", "Someone <someone@example.com>",
                "-c", "CMD [\"cat\", \"/tmp/file\"]", "-c", "ENV GREETING=hello", "-c", "WORKDIR /opt/x",
                "-c", "EXPOSE 8080", "-c", "LABEL purpose=test", "-c", "USER 12", name, image).ok().trim();
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        berth.docker("rm", name).ok();

        assertThat(berth.docker("run", "--rm", image).ok()).isEqualTo("written\n");
        String inside = berth.docker("run", "--rm", "--user", "0", image, "sh", "-c",
                "stat -c '%a %u %g' /tmp/file; echo $GREETING; pwd; test -e /bin/ls && echo ls-present || echo ls-gone; id -u")
                .ok();
        assertThat(inside).isEqualTo("4710 12 34\nhello\n/opt/x\nls-gone\n0\n");
        assertThat(berth.docker("run", "--rm", image, "id", "-u").ok()).isEqualTo("12\n");

        String inspect = berth.docker("image", "inspect", "--format",
                "{{.Id}}|{{.Comment}}|{{.Author}}|{{len .RootFS.Layers}}|{{json .Config.ExposedPorts}}|{{.Config.Labels}}|{{.Config.User}}",
                image).ok().trim();
        assertThat(inspect).isEqualTo(id + "|a message|Someone <someone@example.com>|2|{\"8080/tcp\":{}}|map[purpose:test]|12");
        String history = berth.docker("history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Comment}}", image).ok();
        assertThat(history.lines().findFirst().orElseThrow()).startsWith("sh -c echo written > /tmp/file;").endsWith("|a message");
        assertThat(history.lines().count()).isEqualTo(2);
        String parent = berth.docker("image", "inspect", "--format", "{{.Parent}}", image).ok().trim();
        assertThat(parent).isEqualTo(berth.docker("image", "inspect", "--format", "{{.Id}}", "busybox").ok().trim());
        berth.docker("rmi", image).ok();
    }

    @Test
    void committingAnUnchangedContainerAddsNoLayerAndAnInvalidChangeIsRefused() throws Exception {
        String name = unique("same");
        String image = unique("same");
        berth.docker("run", "--name", name, "busybox", "true").ok();
        berth.docker("commit", name, image).ok();
        assertThat(berth.docker("image", "inspect", "--format", "{{len .RootFS.Layers}}", image).ok().trim()).isEqualTo("1");
        CliResult refused = berth.docker("commit", "-c", "RUN rm -rf /", name, unique("bad"));
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("run is not a valid change command");
        berth.docker("rm", name).ok();
        berth.docker("rmi", image).ok();
    }

    @Test
    void aRunningContainerIsPausedOnlyForTheCopyAndAPausedOneStaysPaused() throws Exception {
        String name = unique("live");
        berth.docker("run", "-d", "--name", name, "busybox", "sh", "-c", "echo x > /made; sleep 600").ok();
        String first = unique("live");
        berth.docker("commit", name, first).ok();
        assertThat(berth.docker("inspect", "--format", "{{.State.Status}}", name).ok().trim()).isEqualTo("running");
        assertThat(berth.docker("run", "--rm", first, "cat", "/made").ok().trim()).isEqualTo("x");
        berth.docker("pause", name).ok();
        String second = unique("live");
        berth.docker("commit", name, second).ok();
        assertThat(berth.docker("inspect", "--format", "{{.State.Status}}", name).ok().trim()).isEqualTo("paused");
        berth.docker("rm", "-f", name).ok();
        berth.docker("rmi", first, second).ok();
    }

    /** The container's pause and unpause events from since until now, one "action" per line. */
    private static String pauseEvents(String name, String since) throws Exception {
        return berth.docker("events", "--since", since, "--until", java.time.Instant.now().toString(), "--filter",
                "container=" + name, "--filter", "event=pause", "--filter", "event=unpause", "--format", "{{.Action}}").ok()
                .trim();
    }

    @Test
    void theCommitJobPausesAroundTheCopyAndPauseFalseDoesNot() throws Exception {
        String name = unique("paused");
        berth.docker("run", "-d", "--name", name, "busybox", "sh", "-c", "echo y > /made; sleep 600").ok();
        String since = Long.toString(java.time.Instant.now().getEpochSecond() - 1);
        String paused = unique("paused");
        berth.docker("commit", name, paused).ok();
        assertThat(pauseEvents(name, since)).isEqualTo("pause\nunpause");
        Thread.sleep(1100); // the next window starts on a later second
        String later = Long.toString(java.time.Instant.now().getEpochSecond());
        String unpaused = unique("paused");
        berth.docker("commit", "--pause=false", name, unpaused).ok();
        assertThat(berth.docker("run", "--rm", unpaused, "cat", "/made").ok().trim()).isEqualTo("y");
        assertThat(pauseEvents(name, later)).isEmpty();
        assertThat(berth.docker("inspect", "--format", "{{.State.Status}}", name).ok().trim()).isEqualTo("running");
        berth.docker("rm", "-f", name).ok();
        berth.docker("rmi", paused, unpaused).ok();
    }

    /**
     * berthd killed with SIGKILL while a commit copies a running container's 200 MB of changes:
     * after the restart the container runs again (the commit had paused it), no image was made,
     * and the image root holds what it held before. A pause by the container's user, unlike a
     * commit's, survives a restart.
     */
    @Test
    void aCommitKilledHalfWayLeavesNoImageAndThawsTheContainer() throws Exception {
        String name = unique("crash");
        berth.docker("run", "-d", "--name", name, "busybox", "sh", "-c",
                "dd if=/dev/zero of=/big bs=1M count=200 2>/dev/null && touch /written && sleep 600").ok();
        for (int i = 0; i < 600 && berth.docker("exec", name, "test", "-e", "/written").exitCode() != 0; i++) {
            Thread.sleep(100);
        }
        Path image = berth.dataRoot().resolve("image");
        Set<String> before = filesUnder(image);
        String imagesBefore = berth.docker("images", "-aq", "--no-trunc").ok();
        Process commit = berth.dockerProcess("commit", name, unique("never"));
        try {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
            while (largestFile(image.resolve("content/ingest")) < 16L << 20) {
                assertThat(commit.isAlive()).as("the commit ended before berthd could be killed in the middle of it").isTrue();
                assertThat(System.nanoTime()).as("the commit never started copying").isLessThan(deadline);
                Thread.sleep(5);
            }
            assertThat(berth.docker("inspect", "--format", "{{.State.Status}}", name).ok().trim()).isEqualTo("paused");
            berth.kill();
        } finally {
            commit.destroyForcibly().waitFor();
        }
        berth.restart();
        assertThat(berth.docker("inspect", "--format", "{{.State.Status}}", name).ok().trim()).isEqualTo("running");
        assertThat(berth.docker("exec", name, "echo", "alive").ok().trim()).isEqualTo("alive");
        assertThat(berth.docker("images", "-aq", "--no-trunc").ok()).isEqualTo(imagesBefore);
        assertThat(filesUnder(image)).isEqualTo(before);

        berth.docker("pause", name).ok();
        berth.kill();
        berth.restart();
        assertThat(berth.docker("inspect", "--format", "{{.State.Status}}", name).ok().trim()).isEqualTo("paused");
        berth.docker("rm", "-f", name).ok();
    }

    private static long largestFile(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(f -> f.toFile().length()).max().orElse(0);
        }
    }

    private static Set<String> filesUnder(Path root) throws java.io.IOException {
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString())
                    .filter(p -> !p.startsWith("graph.db-")).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    /** Commits a new container of image with one more file; the image is untagged unless tag is given. */
    private static String commitOn(String image, String file, String tag) throws Exception {
        String container = berth.docker("create", image, "true").ok().trim();
        try {
            return tag == null ? berth.docker("commit", "-c", "LABEL made=" + file, container).ok().trim()
                    : berth.docker("commit", "-c", "LABEL made=" + file, container, tag).ok().trim();
        } finally {
            berth.docker("rm", container).ok();
        }
    }

    @Test
    void rmiFollowsParentageAsDockerd() throws Exception {
        String base = commitOn("busybox", "base", null);
        String top = unique("rmi-top");
        String topId = commitOn(base, "top", top);
        String shortBase = base.substring(7, 19);
        for (String force : new String[] {"--force=false", "--force=true"}) {
            CliResult refused = berth.docker("rmi", force, shortBase);
            assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
            assertThat(refused.stderr()).contains("conflict: unable to delete " + shortBase
                    + " (cannot be forced) - image has dependent child images");
        }
        assertThat(berth.docker("images", "-q", "--no-trunc").ok()).doesNotContain(base);
        assertThat(berth.docker("images", "-a", "-q", "--no-trunc").ok()).contains(base).contains(topId);

        String noPrune = berth.docker("rmi", "--no-prune", top).ok();
        assertThat(noPrune).contains("Untagged: " + top + ":latest").contains("Deleted: " + topId).doesNotContain(base);
        assertThat(berth.docker("images", "-q", "--no-trunc", "--filter", "dangling=true").ok().trim()).isEqualTo(base);

        String again = unique("rmi-top");
        String againId = commitOn(base, "again", again);
        String pruned = berth.docker("rmi", again).ok();
        assertThat(pruned).contains("Deleted: " + againId).contains("Deleted: " + base);
        CliResult gone = berth.docker("image", "inspect", base);
        assertThat(gone.exitCode()).isNotZero();
        assertThat(berth.docker("image", "inspect", "--format", "{{.Id}}", "busybox").ok().trim()).startsWith("sha256:");
    }

    @Test
    void anExportedFileSystemImportsAsAnImageFromAFileAndFromStdin() throws Exception {
        String name = unique("export");
        berth.docker("run", "--name", name, "busybox", "sh", "-c", "echo exported > /tmp/file; rm /bin/ls").ok();
        Path tar = work.resolve("fs.tar");
        berth.docker("export", "-o", tar.toString(), name).ok();
        berth.docker("rm", name).ok();

        String fromFile = unique("imported") + ":v1";
        String id = berth.docker("import", "-c", "CMD [\"cat\", \"/tmp/file\"]", "-c", "ENV FROM=file", "-m", "from a file",
                tar.toString(), fromFile).ok().trim();
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        assertThat(berth.docker("run", "--rm", fromFile).ok()).isEqualTo("exported\n");
        assertThat(berth.docker("run", "--rm", fromFile, "sh", "-c", "echo $FROM; test -e /bin/ls || echo ls-gone").ok())
                .isEqualTo("file\nls-gone\n");
        assertThat(berth.docker("history", "--format", "{{.Comment}}", fromFile).ok()).isEqualTo("from a file\n");

        String fromStdin = unique("stdin");
        berth.dockerWithInput(Files.readAllBytes(tar), "import", "-", fromStdin).ok();
        assertThat(berth.docker("run", "--rm", fromStdin, "cat", "/tmp/file").ok()).isEqualTo("exported\n");
        assertThat(berth.docker("history", "--format", "{{.Comment}}", fromStdin).ok()).isEqualTo("Imported from -\n");
        berth.docker("rmi", fromFile, fromStdin).ok();
    }

    @Test
    void importFromAUrlIsRefusedAndAnUnknownContainerHasNothingToExport() throws Exception {
        CliResult url = berth.docker("import", "http://127.0.0.1:9/fs.tar");
        assertThat(url.exitCode()).isNotZero();
        assertThat(url.stderr()).contains("berth does not import from a URL");
        CliResult unknown = berth.docker("export", "-o", work.resolve("none.tar").toString(), unique("absent"));
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("No such container");
    }
}
