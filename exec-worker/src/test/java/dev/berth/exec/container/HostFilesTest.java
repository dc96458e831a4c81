package dev.berth.exec.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFilesTest {
    @Test
    void loopbackNameServersAreDroppedAndFallbacksAdded() {
        String host = "# generated\nnameserver 127.0.0.53\noptions edns0\nsearch example.org\n";
        assertThat(HostFiles.containerResolvConf(host, List.of()))
                .isEqualTo("# generated\noptions edns0\nsearch example.org\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n");
        assertThat(HostFiles.containerResolvConf("nameserver 10.0.0.2\n", List.of())).isEqualTo("nameserver 10.0.0.2\n");
        assertThat(HostFiles.containerResolvConf("nameserver 10.0.0.2\n", List.of("1.1.1.1"))).isEqualTo("nameserver 1.1.1.1\n");
    }

    @Test
    void writesTheThreeFiles(@TempDir Path dir) throws Exception {
        HostFiles.write(dir, "abc123", false, List.of(), List.of("10.199.0.2"));
        assertThat(Files.readString(dir.resolve("hostname"))).isEqualTo("abc123\n");
        assertThat(Files.readString(dir.resolve("hosts"))).startsWith("127.0.0.1\tlocalhost\n").endsWith("\n10.199.0.2\tabc123\n");
        assertThat(Files.readString(dir.resolve("resolv.conf"))).contains("nameserver");
    }
}
