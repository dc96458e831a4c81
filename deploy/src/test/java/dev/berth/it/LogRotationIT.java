package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
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
 *
 * <p>Berth rotates behind the writer (see design.md, "Log rotation"): a file outgrows max-size by
 * what the container writes before conmon reopens its log, which on a loaded machine can be
 * several times max-size. Tests that need the oldest file gone therefore let the writer run until
 * it has gone, rather than write a fixed number of lines and hope.
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

    /**
     * Starts a container that, once told to, writes numbered lines until told to stop, then
     * "end N" with the number of lines it wrote (told to stop by SIGUSR1).
     */
    private static void startEndlessWriter(BerthDaemon berth, String name, String... logOptions) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name));
        args.addAll(List.of(logOptions));
        args.addAll(List.of("busybox", "sh", "-c", "echo ready; while [ ! -e /go ]; do sleep 0.05; done; i=0; "
                + "trap 'stop=1' USR1; while [ -z \"$stop\" ]; do echo line $i; i=$((i+1)); done; echo end $i"));
        berth.docker(args.toArray(String[]::new)).ok();
    }

    /**
     * Lets an endless writer write until the first file of its log has been rotated out, then
     * stops it and waits for its exit.
     */
    private static void writeUntilTheFirstFileIsGone(BerthDaemon berth, String name) throws Exception {
        String id = berth.docker("inspect", "-f", "{{.Id}}", name).ok().trim();
        Path live = berth.dataRoot().resolve("containers").resolve(id).resolve("container.log");
        Object first = Files.readAttributes(live, BasicFileAttributes.class).fileKey();
        berth.docker("exec", name, "touch", "/go").ok();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (logFiles(berth, id).stream().anyMatch(f -> first.equals(keyOf(f)))) {
            assertThat(System.nanoTime()).as("the first log file was not rotated out: %s", logFiles(berth, id)).isLessThan(deadline);
            Thread.sleep(20);
        }
        // A signal, not `exec touch /stop`: the writer would end as soon as it saw the file, and
        // its end kills an exec'd touch that has not quite exited yet (exit 137), as with dockerd.
        berth.docker("kill", "-s", "USR1", name).ok();
        assertThat(berth.docker("wait", name).ok().trim()).isEqualTo("0");
    }

    private static Object keyOf(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static void go(String name) throws Exception {
        berth.docker("exec", name, "touch", "/go").ok();
        assertThat(berth.docker("wait", name).ok().trim()).isEqualTo("0");
    }

    @Test
    void docker_logsShowsAGapFreeSuffixAcrossRotatedFilesAndOldFilesGo() throws Exception {
        String name = "rotating";
        startEndlessWriter(berth, name, "--log-opt", "max-size=" + MAX_SIZE / 1024 + "k", "--log-opt", "max-file=" + MAX_FILES);
        writeUntilTheFirstFileIsGone(berth, name);
        String id = berth.docker("inspect", "-f", "{{.Id}}", name).ok().trim();
        List<Path> files = logFiles(id);
        System.out.println("log files with max-size=" + MAX_SIZE + " max-file=" + MAX_FILES + ": "
                + files.stream().map(f -> f.getFileName() + "=" + size(f)).toList());
        assertThat(files).as("the live file and at most max-file - 1 rotated ones").hasSizeBetween(2, MAX_FILES);

        List<String> shown = List.of(berth.docker("logs", name).ok().split("\n"));
        assertThat(shown.get(0)).as("the first line of what is kept").startsWith("line ");
        int first = Integer.parseInt(shown.get(0).substring("line ".length()));
        assertThat(first).as("the oldest lines went with the oldest files").isPositive();
        int written = Integer.parseInt(shown.get(shown.size() - 1).substring("end ".length()));
        for (int i = 0; i < shown.size() - 1; i++) {
            assertThat(shown.get(i)).as("a gap-free suffix").isEqualTo("line " + (first + i));
        }
        assertThat(first + shown.size() - 1).isEqualTo(written);
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

    /**
     * A container that exited between a rotation's link and conmon's reopen leaves log.1 and the
     * live name on one file. When it starts again, Berth asks its new conmon to reopen, or the log
     * would never rotate again.
     */
    @Test
    void aRotationLeftHalfDoneByAnExitIsFinishedWhenTheContainerStartsAgain() throws Exception {
        String name = "rotating-restarted";
        berth.docker("create", "--name", name, "--log-opt", "max-size=16k", "--log-opt", "max-file=3", "busybox", "sh", "-c",
                "echo started; while [ ! -e /go ]; do sleep 0.05; done; rm /go; echo going").ok();
        String id = berth.docker("inspect", "-f", "{{.Id}}", name).ok().trim();
        Path live = berth.dataRoot().resolve("containers").resolve(id).resolve("container.log");
        Path rotated = live.resolveSibling("container.log.1");
        // The state a rotation leaves until the reopen: what the rotator does at max-size.
        berth.docker("start", name).ok();
        berth.docker("exec", name, "touch", "/go").ok();
        assertThat(berth.docker("wait", name).ok().trim()).isEqualTo("0");
        Files.createLink(rotated, live);
        Object halfRotated = keyOf(live);

        berth.docker("start", name).ok();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (halfRotated.equals(keyOf(live))) {
            assertThat(System.nanoTime()).as("conmon was not asked to reopen the log").isLessThan(deadline);
            Thread.sleep(20);
        }
        berth.docker("exec", name, "touch", "/go").ok();
        assertThat(berth.docker("wait", name).ok().trim()).isEqualTo("0");
        assertThat(keyOf(rotated)).as("the old file is log.1 alone").isEqualTo(halfRotated).isNotEqualTo(keyOf(live));
        assertThat(berth.docker("logs", name).ok()).isEqualTo("started\ngoing\nstarted\ngoing\n");
        berth.docker("rm", name).ok();
    }

    @Test
    void theLocalDriverIsReadLikeJsonFileAndKeepsFiveFilesByDefault() throws Exception {
        String name = "rotating-local";
        startEndlessWriter(berth, name, "--log-driver", "local", "--log-opt", "max-size=16k");
        writeUntilTheFirstFileIsGone(berth, name);
        String id = berth.docker("inspect", "-f", "{{.Id}}", name).ok().trim();
        assertThat(logFiles(id)).as("dockerd's local driver keeps 5 files").hasSize(5);
        List<String> shown = List.of(berth.docker("logs", name).ok().split("\n"));
        int written = Integer.parseInt(shown.get(shown.size() - 1).substring("end ".length()));
        assertThat(shown.get(shown.size() - 2)).isEqualTo("line " + (written - 1));
        assertThat(berth.docker("logs", "--tail", "2", name).ok()).isEqualTo("line " + (written - 1) + "\nend " + written + "\n");
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
            startEndlessWriter(configured, "rotating-by-daemon-opts");
            String id = configured.docker("inspect", "-f", "{{.Id}}", "rotating-by-daemon-opts").ok().trim();
            writeUntilTheFirstFileIsGone(configured, id);
            assertThat(configured.docker("inspect", "-f", "{{.HostConfig.LogConfig.Type}} {{json .HostConfig.LogConfig.Config}}", id)
                    .ok().trim()).isEqualTo("json-file {\"max-file\":\"3\",\"max-size\":\"16k\"}");
            List<Path> files = logFiles(configured, id);
            assertThat(files).as("rotated at 16k, three files kept: %s", files).hasSize(3);
            List<String> shown = List.of(configured.docker("logs", id).ok().split("\n"));
            int written = Integer.parseInt(shown.get(shown.size() - 1).substring("end ".length()));
            assertThat(shown.get(0)).as("the oldest lines went with the oldest files").isNotEqualTo("ready").isNotEqualTo("line 0");
            assertThat(shown.get(shown.size() - 2)).isEqualTo("line " + (written - 1));

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
            // The log's files only: container.log.midline is a note beside them (MidLineStart).
            return list.filter(f -> f.getFileName().toString().matches("container\\.log(\\.[0-9]+)?")).sorted().toList();
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
