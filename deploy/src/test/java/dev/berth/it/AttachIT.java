package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Detaching from TTY sessions with the detach keys, and the CLI's signal proxy, on real terminals;
 * the detach and exec_detach events of a client that sends the keys to the daemon.
 */
class AttachIT {
    private static final String CTRL_P_CTRL_Q = "\\u0010\\u0011";
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

    @AfterEach
    void removeContainers() throws Exception {
        berth.removeAllContainers();
    }

    private String status(String name) throws Exception {
        return berth.docker("inspect", "-f", "{{.State.Status}}", name).ok().trim();
    }

    @Test
    void ctrlPCtrlQDetachesFromAShellAndLeavesItRunning() throws Exception {
        berth.docker("run", "-dit", "--name=at-shell", "busybox", "sh").ok();
        CliResult attach = berth.dockerOnTerminal(30, 100, "[{\"after\":\"\",\"send\":\"echo hello-$((40+2))\\n\"},"
                + "{\"after\":\"hello-42\",\"send\":\"" + CTRL_P_CTRL_Q + "\"}]", "attach", "at-shell");
        assertThat(attach.stdout()).contains("hello-42").contains("read escape sequence").doesNotContain("timed out");
        assertThat(status("at-shell")).isEqualTo("running");

        CliResult again = berth.dockerOnTerminal(30, 100, "[{\"after\":\"\",\"send\":\"echo again-$((1+1))\\n\"},"
                + "{\"after\":\"again-2\",\"send\":\"\\u0018x\"}]", "attach", "--detach-keys=ctrl-x,x", "at-shell");
        assertThat(again.stdout()).contains("again-2").contains("read escape sequence").doesNotContain("timed out");
        assertThat(status("at-shell")).isEqualTo("running");
    }

    @Test
    void aKeyThatOnlyStartsTheSequenceReachesTheContainer() throws Exception {
        berth.docker("run", "-dit", "--name=at-partial", "busybox", "sh").ok();
        // ctrl-p then "e": not the sequence, so both reach the shell (ctrl-p recalls nothing here).
        CliResult attach = berth.dockerOnTerminal(30, 100, "[{\"after\":\"\",\"send\":\"\\u0010echo partial-$((2+3))\\n\"},"
                + "{\"after\":\"partial-5\",\"send\":\"" + CTRL_P_CTRL_Q + "\"}]", "attach", "at-partial");
        assertThat(attach.stdout()).contains("partial-5").doesNotContain("timed out");
        assertThat(status("at-partial")).isEqualTo("running");
    }

    @Test
    void runAndExecDetachToo() throws Exception {
        String since = Long.toString(Instant.now().getEpochSecond() - 1);
        CliResult run = berth.dockerOnTerminal(30, 100, "[{\"after\":\"ready\",\"send\":\"" + CTRL_P_CTRL_Q + "\"}]",
                "run", "-it", "--name=at-run", "busybox", "sh", "-c", "echo ready; sleep 1000");
        assertThat(run.stdout()).contains("ready").doesNotContain("timed out");
        assertThat(status("at-run")).isEqualTo("running");

        CliResult exec = berth.dockerOnTerminal(30, 100, "[{\"after\":\"go\",\"send\":\"" + CTRL_P_CTRL_Q + "\"}]",
                "exec", "-it", "at-run", "sh", "-c", "echo go; sleep 999");
        assertThat(exec.stdout()).contains("go").doesNotContain("timed out");
        assertThat(berth.docker("exec", "at-run", "ps", "-o", "args").ok()).contains("sleep 999");
        // The CLI reads the keys itself and hangs up, so the daemon sees the input end, not the
        // keys: dockerd 20.10 then publishes no detach event either (design.md).
        assertThat(berth.docker("events", "--since", since, "--until", Instant.now().toString(), "--filter", "container=at-run",
                "--filter", "event=detach", "--filter", "event=exec_detach").ok()).isEmpty();
    }

    /**
     * An API client that sends the detach keys itself (docker-py, a WebSocket) gets dockerd's
     * detach event for an attach and exec_detach for an exec, which the CLI's docker events shows
     * as they happen; the container and the exec's process run on.
     */
    @Test
    void detachKeysSentToTheDaemonAreEvents() throws Exception {
        String id = berth.docker("run", "-dit", "--name=at-api", "busybox", "sh").ok().trim();
        Process events = berth.dockerProcess("events", "--since", Long.toString(Instant.now().getEpochSecond() - 1),
                "--filter", "container=at-api", "--filter", "event=detach", "--filter", "event=exec_detach", "--format", "{{json .}}");
        try {
            BufferedReader eventLines = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8));
            try (Hijacked attach = Hijacked.open(berth, "/containers/at-api/attach?stream=1&stdin=1&stdout=1&stderr=1", null)) {
                attach.send("echo hello-$((40+2))\n");
                attach.await("hello-42");
                attach.send("\u0010\u0011");
                attach.awaitEnd();
            }
            JsonObject detach = new JsonObject(readLine(eventLines));
            assertThat(detach.getString("Action")).isEqualTo("detach");
            assertThat(detach.getJsonObject("Actor").getString("ID")).isEqualTo(id);
            assertThat(detach.getJsonObject("Actor").getJsonObject("Attributes").getMap())
                    .containsEntry("name", "at-api").containsEntry("image", "busybox");
            assertThat(status("at-api")).isEqualTo("running");

            String created = berth.rawRequest("POST", "/containers/at-api/exec", "application/json",
                    "{\"Cmd\":[\"sh\",\"-c\",\"echo go; sleep 998\"],\"Tty\":true,\"AttachStdin\":true,\"AttachStdout\":true}"
                            .getBytes(StandardCharsets.UTF_8));
            assertThat(created).startsWith("HTTP/1.1 201");
            String execId = new JsonObject(created.substring(created.indexOf("\r\n\r\n") + 4).trim()).getString("Id");
            try (Hijacked exec = Hijacked.open(berth, "/exec/" + execId + "/start", "{\"Detach\":false,\"Tty\":true}")) {
                exec.await("go");
                exec.send("\u0010\u0011");
                exec.awaitEnd();
            }
            JsonObject execDetach = new JsonObject(readLine(eventLines));
            assertThat(execDetach.getString("Action")).isEqualTo("exec_detach");
            assertThat(execDetach.getJsonObject("Actor").getJsonObject("Attributes").getMap())
                    .containsEntry("execID", execId).containsEntry("name", "at-api").containsEntry("image", "busybox");
            assertThat(berth.docker("exec", "at-api", "ps", "-o", "args").ok()).contains("sleep 998");
        } finally {
            events.destroy();
            events.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The next line a process prints, within 30 s. */
    private static String readLine(BufferedReader reader) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String read = line.get(30, TimeUnit.SECONDS);
        assertThat(read).as("a line before the end of the output").isNotNull();
        return read;
    }

    /** A connection upgraded to a raw stream, as docker-py holds one: what it sends goes to the process as typed. */
    private static final class Hijacked implements AutoCloseable {
        private final SocketChannel channel;
        private final StringBuffer received = new StringBuffer();
        private final CompletableFuture<Void> ended = new CompletableFuture<>();

        private Hijacked(SocketChannel channel) {
            this.channel = channel;
        }

        static Hijacked open(BerthDaemon berth, String path, String json) throws IOException, InterruptedException {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(berth.socket()));
            byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: berth\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
            Hijacked hijacked = new Hijacked(channel);
            hijacked.write(head.getBytes(StandardCharsets.UTF_8));
            hijacked.write(body);
            Thread reader = new Thread(hijacked::read, "hijacked-reader");
            reader.setDaemon(true);
            reader.start();
            hijacked.await("\r\n\r\n");
            assertThat(hijacked.received.toString()).startsWith("HTTP/1.1 101");
            return hijacked;
        }

        private void write(byte[] bytes) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(bytes);
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }

        private void read() {
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            try {
                while (channel.read(buffer) >= 0) {
                    received.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1));
                    buffer.clear();
                }
                ended.complete(null);
            } catch (IOException e) {
                ended.completeExceptionally(e);
            }
        }

        void send(String text) throws IOException {
            write(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        void await(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                boolean over = ended.isDone();
                if (received.toString().contains(text)) {
                    return;
                }
                assertThat(over).as("%s before the stream ended: %s", text, received).isFalse();
                assertThat(System.nanoTime()).as("%s in %s", text, received).isLessThan(deadline);
                Thread.sleep(20);
            }
        }

        /** The daemon ends the stream: the client detached. */
        void awaitEnd() throws Exception {
            ended.get(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    @Test
    void badDetachKeysAreRefused() throws Exception {
        berth.docker("run", "-d", "--name=at-bad", "busybox", "sleep", "1000").ok();
        CliResult exec = berth.docker("exec", "--detach-keys=ctrl-1", "at-bad", "true");
        assertThat(exec.exitCode()).isNotZero();
        assertThat(exec.stderr()).contains("Invalid escape keys (ctrl-1) provided");
    }

    @Test
    void theCliForwardsSignalsUnlessSigProxyIsOff() throws Exception {
        Process proxied = berth.dockerProcess("run", "--name=at-proxy", "busybox", "sh", "-c",
                "trap 'echo got-term; exit 4' TERM; echo ready; while true; do sleep 0.1; done");
        awaitLine(proxied, "ready");
        // Process.destroy would also close the CLI's pipes, and its "got-term" would die of SIGPIPE.
        berth.shell("kill -TERM " + proxied.pid()).ok();
        assertThat(proxied.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(proxied.exitValue()).isEqualTo(4);
        assertThat(berth.docker("logs", "at-proxy").ok()).contains("got-term");

        Process unproxied = berth.dockerProcess("run", "--sig-proxy=false", "--name=at-noproxy", "busybox", "sh", "-c",
                "trap 'echo got-term; exit 4' TERM; echo ready; while true; do sleep 0.1; done");
        awaitLine(unproxied, "ready");
        // Without the proxy the CLI keeps the signal to itself (and stays attached): end it for good.
        berth.shell("kill -TERM " + unproxied.pid() + "; sleep 0.5; kill -KILL " + unproxied.pid()).ok();
        assertThat(unproxied.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(status("at-noproxy")).isEqualTo("running");
        assertThat(berth.docker("logs", "at-noproxy").ok()).doesNotContain("got-term");
    }

    private static void awaitLine(Process process, String line) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String read;
        while ((read = reader.readLine()) != null) {
            if (read.equals(line)) {
                return;
            }
        }
        throw new AssertionError("the process ended before it printed " + line);
    }
}
