package dev.berth.exec.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserResolverTest {
    @TempDir
    Path rootfs;

    @BeforeEach
    void files() throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n"
                + "app:x:1000:1000:app:/home/app:/bin/sh\n# comment\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\napp:x:1000:\nwheel:x:10:app,other\naudio:x:29:app\n");
    }

    @Test
    void emptyUserIsRoot() throws Exception {
        assertThat(UserResolver.resolve(rootfs, "")).isEqualTo(new ProcessUser(0, 0, List.of(), "/root"));
    }

    @Test
    void namesResolveWithSupplementaryGroups() throws Exception {
        ProcessUser app = UserResolver.resolve(rootfs, "app");
        assertThat(app.uid()).isEqualTo(1000);
        assertThat(app.gid()).isEqualTo(1000);
        assertThat(app.additionalGids()).containsExactly(10, 29);
        assertThat(app.home()).isEqualTo("/home/app");
    }

    @Test
    void numbersNeedNoEntryAndGroupsOverride() throws Exception {
        assertThat(UserResolver.resolve(rootfs, "4321")).isEqualTo(new ProcessUser(4321, 4321, List.of(), "/"));
        assertThat(UserResolver.resolve(rootfs, "app:wheel").gid()).isEqualTo(10);
        assertThat(UserResolver.resolve(rootfs, "1000:77").gid()).isEqualTo(77);
    }

    @Test
    void unknownNamesAreInvalid() {
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "ghost")).isInstanceOf(EngineException.class)
                .hasMessageContaining("unable to find user ghost");
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "app:ghosts")).isInstanceOf(EngineException.class)
                .hasMessageContaining("unable to find group ghosts");
    }

    @Test
    void aPasswdSymlinkedOutsideIsReadInsideTheRoot(@TempDir Path host) throws Exception {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.writeString(host.resolve("passwd"), "ghost:x:7:7::/:/bin/sh\n");
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), host.resolve("passwd"));
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "ghost")).isInstanceOf(EngineException.class);
    }
}
