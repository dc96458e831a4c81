package dev.berth.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxNetworkNamespacesTest {
    @Test
    void createsANamespaceWithLoopbackUpAndRemovesIt(@TempDir Path dir) throws Exception {
        NetworkNamespaces namespaces = NetworkNamespaces.linux();
        Path pin = dir.resolve("ns1");
        namespaces.create(pin);
        try {
            assertThat(Mounts.linux().mountsUnder(dir)).containsExactly(pin);
            String inside = run("nsenter", "--net=" + pin, "ip", "-o", "link", "show");
            assertThat(inside).contains("lo:").contains("UP").doesNotContain("eth0");
            String ownNamespace = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
            assertThat(run("readlink", "/proc/" + ProcessHandle.current().pid() + "/ns/net").trim()).isEqualTo(ownNamespace);
        } finally {
            namespaces.delete(pin);
        }
        assertThat(Mounts.linux().mountsUnder(dir)).isEmpty();
        assertThat(pin).doesNotExist();
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }
}
