package dev.berth.exec.volume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.host.FileOps;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs as root, as the project's tests do: ownership can be given away. */
class VolumeCopyUpTest {
    private final FileOps files = FileOps.linux();

    private static Object attribute(Path path, String name) throws Exception {
        return Files.getAttribute(path, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void copies_modes_owners_times_and_links_without_following_them(@TempDir Path dir) throws Exception {
        Path image = Files.createDirectories(dir.resolve("image/data"));
        Path secret = Files.writeString(dir.resolve("host-secret"), "host\n");
        Path tool = Files.writeString(image.resolve("tool"), "#!/bin/sh\n");
        files.lchown(tool, 1234, 5678); // before chmod: chown clears set-id bits
        files.chmod(tool, 04755);
        Files.setLastModifiedTime(tool, FileTime.from(Instant.parse("2020-01-02T03:04:05Z")));
        Path sub = Files.createDirectories(image.resolve("sub"));
        files.chmod(sub, 01770);
        Files.createSymbolicLink(image.resolve("escape"), secret);
        Files.createSymbolicLink(image.resolve("relative"), Path.of("../../host-secret"));
        files.mkfifo(image.resolve("pipe"), 0600);
        files.lchown(image, 42, 43);
        files.chmod(image, 0750);

        Path volume = Files.createDirectories(dir.resolve("volume"));
        assertThat(VolumeCopyUp.isEmpty(volume)).isTrue();
        new VolumeCopyUp(files).copy(image, volume);

        Path copied = volume.resolve("tool");
        assertThat(Files.readString(copied)).isEqualTo("#!/bin/sh\n");
        assertThat((Integer) attribute(copied, "mode") & 07777).isEqualTo(04755);
        assertThat(attribute(copied, "uid")).isEqualTo(1234);
        assertThat(attribute(copied, "gid")).isEqualTo(5678);
        assertThat(Files.getLastModifiedTime(copied).toInstant()).isEqualTo(Instant.parse("2020-01-02T03:04:05Z"));
        assertThat((Integer) attribute(volume.resolve("sub"), "mode") & 07777).isEqualTo(01770);
        assertThat(Files.readSymbolicLink(volume.resolve("escape"))).isEqualTo(secret);
        assertThat(Files.readSymbolicLink(volume.resolve("relative"))).isEqualTo(Path.of("../../host-secret"));
        assertThat(Files.readString(secret)).isEqualTo("host\n");
        assertThat(Files.isRegularFile(volume.resolve("pipe"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat((Integer) attribute(volume.resolve("pipe"), "mode") & 0170000).isEqualTo(0010000);
        // the volume's own directory takes the image directory's owner and mode
        assertThat(attribute(volume, "uid")).isEqualTo(42);
        assertThat((Integer) attribute(volume, "mode") & 07777).isEqualTo(0750);
    }

    @Test
    void a_missing_or_non_directory_source_copies_nothing(@TempDir Path dir) throws Exception {
        Path volume = Files.createDirectories(dir.resolve("volume"));
        new VolumeCopyUp(files).copy(dir.resolve("absent"), volume);
        Files.writeString(dir.resolve("file"), "x");
        new VolumeCopyUp(files).copy(dir.resolve("file"), volume);
        assertThat(VolumeCopyUp.isEmpty(volume)).isTrue();
    }
}
