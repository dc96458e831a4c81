package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real browser: Debian's chromium, headless, driven by playwright-core from
 * npm (installed under deploy/src/test/js) through dashboard-test.mjs.
 */
class DashboardIT {
    private static BerthDaemon berth;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        berth = BerthDaemon.start("-H", "tcp://127.0.0.1:" + port);
        berth.loadBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    private static Path scripts() throws Exception {
        Path dir = BerthDaemon.repo().resolve("deploy/src/test/js");
        if (!Files.isDirectory(dir.resolve("node_modules/playwright-core"))) {
            Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(install.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(install.exitValue()).as("npm ci: %s", out).isZero();
        }
        return dir;
    }

    @Test
    void theFilesComeFromTheJarAndAnUnknownOneIs404() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/berth/ui")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<script src=\"/berth/ui/app.js\">");
        HttpResponse<String> missing = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/berth/ui/nothing.js")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void thePageShowsARunningContainerAndALineItPrintsWithinASecond() throws Exception {
        Path scripts = scripts();
        berth.docker("run", "-d", "-i", "--name", "dash-cat", "busybox", "cat").ok();
        Process attach = berth.dockerProcess("attach", "dash-cat");
        Process browser = new ProcessBuilder("node", "dashboard-test.mjs", "http://127.0.0.1:" + port + "/berth/ui", "dash-cat")
                .directory(scripts.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader said = new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8));
            assertThat(readLine(said)).isEqualTo("READY");
            OutputStream toBrowser = browser.getOutputStream();
            OutputStream toContainer = attach.getOutputStream();
            for (int i = 0; i < 3; i++) {
                String line = "dashboard-line-" + UUID.randomUUID();
                toBrowser.write(("GO " + line + "\n").getBytes(StandardCharsets.UTF_8));
                toBrowser.flush();
                assertThat(readLine(said)).isEqualTo("WAITING");
                toContainer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                toContainer.flush();
                assertThat(readLine(said)).startsWith("SEEN ");
            }
            toBrowser.close();
            assertThat(browser.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(browser.exitValue()).isZero();
        } finally {
            browser.destroyForcibly();
            attach.destroy();
            berth.docker("rm", "-f", "dash-cat");
        }
    }

    private static String readLine(BufferedReader reader) throws Exception {
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(60, TimeUnit.SECONDS);
        assertThat(line).as("the browser script said nothing more").isNotNull();
        return line;
    }
}
