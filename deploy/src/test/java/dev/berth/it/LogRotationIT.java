package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Log rotation with the real CLI: a container writes numbered lines as fast as busybox's shell
 * can, past many rotations of a small max-size; `docker logs` must show a gap-free suffix that
 * ends with the last line, `--tail` must reach into rotated files, and a `docker logs -f` that
 * was following from the start must have seen every line once, in order.
 */
class LogRotationIT {
    private static final int LINES = 20_000;
    private static final int MAX_SIZE = 64 * 1024;
    private static final int MAX_FILES = 3;
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

    /** Starts a container that writes LINES numbered lines once told to, past many rotations. */
    private static void startWriter(String name, int maxSize, int maxFiles) throws Exception {
        // The writer waits for /go, so that a follower can attach before the first rotation.
        berth.docker("run", "-d", "--name", name, "--log-opt", "max-size=" + maxSize / 1024 + "k",
                "--log-opt", "max-file=" + maxFiles, "busybox", "sh", "-c",
                "echo ready; while [ ! -e /go ]; do sleep 0.05; done; i=0; while [ $i -lt " + LINES
                        + " ]; do echo line $i; i=$((i+1)); done").ok();
    }

    private static void go(String name) throws Exception {
        berth.docker("exec", name, "touch", "/go").ok();
        assertThat(berth.docker("wait", name).ok().trim()).isEqualTo("0");
    }

    @Test
    void docker_logsShowsAGapFreeSuffixAcrossRotatedFilesAndOldFilesGo() throws Exception {
        String name = "rotating";
        startWriter(name, MAX_SIZE, MAX_FILES);
        go(name);
        String id = berth.docker("inspect", "-f", "{{.Id}}", name).ok().trim();
        List<Path> files = logFiles(id);
        System.out.println("log files after " + LINES + " lines with max-size=" + MAX_SIZE + " max-file=" + MAX_FILES + ": "
                + files.stream().map(f -> f.getFileName() + "=" + size(f)).toList());
        assertThat(files).as("the live file and at most max-file - 1 rotated ones").hasSizeBetween(2, MAX_FILES);

        List<String> shown = List.of(berth.docker("logs", name).ok().split("\n"));
        int first = Integer.parseInt(shown.get(0).substring("line ".length()));
        assertThat(first).as("the oldest lines went with the oldest files").isPositive();
        for (int i = 0; i < shown.size(); i++) {
            assertThat(shown.get(i)).as("a gap-free suffix").isEqualTo("line " + (first + i));
        }
        assertThat(first + shown.size()).isEqualTo(LINES);
        // What is shown is what the kept files hold: at least the rotated ones' worth of max-size.
        int record = "2026-12-02T01:30:00.000000000+00:00 stdout F line 10000\n".length();
        assertThat(shown.size()).isGreaterThanOrEqualTo((MAX_FILES - 1) * MAX_SIZE / record);

        int tail = shown.size() - 1;
        assertThat(berth.docker("logs", "--tail", Integer.toString(tail), name).ok())
                .isEqualTo(String.join("\n", shown.subList(1, shown.size())) + "\n");
        berth.docker("rm", name).ok();
        assertThat(logFiles(id)).isEmpty();
    }

    /**
     * A follower goes from file to file as they rotate. Enough files are kept that none is
     * removed before the follower has read it: a follower that falls further behind than the kept
     * files loses what was removed, as with dockerd.
     */
    @Test
    void aFollowerSeesEveryLineOnceAcrossRotations() throws Exception {
        String name = "rotating-followed";
        startWriter(name, 16 * 1024, 200);
        Process follower = berth.dockerProcess("logs", "-f", name);
        InputStream out = follower.getInputStream();
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().equals("ready\n")) {
            int b = out.read();
            assertThat(b).as("docker logs -f ended early: %s", seen).isNotNegative();
            seen.append((char) b);
        }
        // Read on while the container writes: a follower that stops reading holds the stream back.
        CompletableFuture<byte[]> rest = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        go(name);
        assertThat(follower.waitFor(60, TimeUnit.SECONDS)).as("docker logs -f ends when the container exits").isTrue();
        seen.append(new String(rest.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        String id = berth.docker("inspect", "-f", "{{.Id}}", name).ok().trim();
        assertThat(logFiles(id).size()).as("the log rotated several times").isGreaterThan(2);
        List<String> followed = List.of(seen.toString().split("\n"));
        for (int i = 0; i < Math.min(LINES, followed.size() - 1); i++) {
            assertThat(followed.get(i + 1)).as("line %d seen by the follower", i).isEqualTo("line " + i);
        }
        assertThat(followed).hasSize(LINES + 1);
        assertThat(berth.docker("logs", name).ok()).isEqualTo(seen.toString());
        berth.docker("rm", name).ok();
    }

    @Test
    void theLocalDriverIsReadLikeJsonFileAndKeepsFiveFilesByDefault() throws Exception {
        String name = "rotating-local";
        berth.docker("run", "-d", "--name", name, "--log-driver", "local", "--log-opt", "max-size=16k", "busybox", "sh", "-c",
                "i=0; while [ $i -lt " + LINES + " ]; do echo line $i; i=$((i+1)); done").ok();
        assertThat(berth.docker("wait", name).ok().trim()).isEqualTo("0");
        String id = berth.docker("inspect", "-f", "{{.Id}}", name).ok().trim();
        assertThat(logFiles(id)).as("dockerd's local driver keeps 5 files").hasSize(5);
        List<String> shown = List.of(berth.docker("logs", name).ok().split("\n"));
        assertThat(shown.get(shown.size() - 1)).isEqualTo("line " + (LINES - 1));
        assertThat(berth.docker("logs", "--tail", "2", name).ok()).isEqualTo("line " + (LINES - 2) + "\nline " + (LINES - 1) + "\n");
        berth.docker("rm", name).ok();
    }

    /**
     * daemon.json's log-opts apply to containers that set no driver or the default one, merged
     * under their own options as dockerd merges them, and rotate their logs.
     */
    @Test
    void daemonJsonLogOptsRotateTheLogsOfContainersThatSetNone() throws Exception {
        try (BerthDaemon configured = BerthDaemon.startWithConfig("{\"log-opts\": {\"max-size\": \"16k\", \"max-file\": \"3\"}}")) {
            configured.loadBusybox();
            assertThat(configured.docker("info", "--format", "{{.LoggingDriver}}").ok().trim()).isEqualTo("json-file");
            String id = configured.docker("run", "-d", "busybox", "sh", "-c",
                    "i=0; while [ $i -lt " + LINES + " ]; do echo line $i; i=$((i+1)); done").ok().trim();
            assertThat(configured.docker("wait", id).ok().trim()).isEqualTo("0");
            assertThat(configured.docker("inspect", "-f", "{{.HostConfig.LogConfig.Type}} {{json .HostConfig.LogConfig.Config}}", id)
                    .ok().trim()).isEqualTo("json-file {\"max-file\":\"3\",\"max-size\":\"16k\"}");
            List<Path> files = logFiles(configured, id);
            assertThat(files).as("rotated at 16k, three files kept: %s", files).hasSize(3);
            List<String> shown = List.of(configured.docker("logs", id).ok().split("\n"));
            assertThat(shown.get(shown.size() - 1)).isEqualTo("line " + (LINES - 1));
            assertThat(shown.size()).as("the oldest lines went with the oldest files").isLessThan(LINES);

            String own = configured.docker("create", "--log-opt", "max-file=2", "busybox", "true").ok().trim();
            assertThat(configured.docker("inspect", "-f", "{{json .HostConfig.LogConfig.Config}}", own).ok().trim())
                    .as("the container's own option wins, the daemon's fills the rest")
                    .isEqualTo("{\"max-file\":\"2\",\"max-size\":\"16k\"}");
            String otherDriver = configured.docker("create", "--log-driver", "none", "busybox", "true").ok().trim();
            assertThat(configured.docker("inspect", "-f", "{{json .HostConfig.LogConfig}}", otherDriver).ok().trim())
                    .as("another driver gets none of the default driver's options")
                    .isEqualTo("{\"Type\":\"none\",\"Config\":{}}");
            configured.docker("rm", "-f", id, own, otherDriver).ok();
        }
    }

    private static List<Path> logFiles(String id) throws IOException {
        return logFiles(berth, id);
    }

    private static List<Path> logFiles(BerthDaemon berth, String id) throws IOException {
        Path dir = berth.dataRoot().resolve("containers").resolve(id);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(f -> f.getFileName().toString().startsWith("container.log")).sorted().toList();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
