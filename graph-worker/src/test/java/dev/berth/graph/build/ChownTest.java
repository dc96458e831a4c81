package dev.berth.graph.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChownTest {
    @TempDir
    Path rootfs;

    @BeforeEach
    void databases() throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nwww:x:33:34::/var/www:/bin/false\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nstaff:x:50:www\n");
    }

    @Test
    void namesComeFromTheImagesDatabasesAndNumbersAreTakenAsTheyAre() throws Exception {
        assertThat(Chown.resolve(rootfs, "www:staff")).isEqualTo(new CopyArchive.Owner(33, 50));
        assertThat(Chown.resolve(rootfs, "1000:staff")).isEqualTo(new CopyArchive.Owner(1000, 50));
        assertThat(Chown.resolve(rootfs, "www")).isEqualTo(new CopyArchive.Owner(33, 33));
        assertThat(Chown.resolve(rootfs, "7:8")).isEqualTo(new CopyArchive.Owner(7, 8));
    }

    @Test
    void anUnknownNameIsRefused() {
        assertThatThrownBy(() -> Chown.resolve(rootfs, "nobody")).isInstanceOf(EngineException.class)
                .hasMessageContaining("nobody");
        assertThatThrownBy(() -> Chown.resolve(rootfs, "www:wheel")).hasMessageContaining("wheel");
    }
}
