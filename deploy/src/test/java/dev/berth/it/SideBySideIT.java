package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Daemons with their own sockets and roots share a host without seeing each other; TCP listens on loopback only. */
class SideBySideIT {
    @Test
    void twoDaemonsKeepToThemselves() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (BerthDaemon first = BerthDaemon.start("-H", "tcp://127.0.0.1:" + port); BerthDaemon second = BerthDaemon.start()) {
            first.loadBusybox();
            second.loadBusybox();
            first.docker("run", "-d", "--name", "one", "busybox", "sleep", "60").ok();
            second.docker("run", "-d", "--name", "two", "busybox", "sleep", "60").ok();
            assertThat(first.docker("ps", "--format", "{{.Names}}").out()).isEqualTo("one");
            assertThat(second.docker("ps", "--format", "{{.Names}}").out()).isEqualTo("two");
            // The same daemon over loopback TCP.
            CliResult overTcp = first.shell("DOCKER_HOST=tcp://127.0.0.1:" + port + " " + BerthDaemon.DOCKER
                    + " ps --format '{{.Names}}'");
            assertThat(overTcp.ok().trim()).isEqualTo("one");
            first.docker("rm", "-f", "one").ok();
            assertThat(second.docker("ps", "--format", "{{.Names}}").out()).isEqualTo("two");
        }
    }

    @Test
    void tcpOnOtherAddressesIsRefusedWithoutTls() throws Exception {
        Path root = Files.createTempDirectory("berth-it-refuse");
        try {
            Process berthd = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), "dev.berth.deploy.Berthd", "-H", "tcp://0.0.0.0:23750",
                    "--data-root", root.resolve("data").toString(), "--exec-root", root.resolve("exec").toString(),
                    "--config-file", Files.writeString(root.resolve("daemon.json"), "{}").toString())
                    .redirectErrorStream(true).start();
            assertThat(berthd.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(berthd.exitValue()).isEqualTo(1);
            assertThat(new String(berthd.getInputStream().readAllBytes())).contains("refusing to listen on tcp://0.0.0.0:23750 without TLS");
        } finally {
            try (var walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
