package dev.berth.host.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.host.FileOps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options docker cp adds to the shared extraction; layers' refusals are LayerUnpackerTest's. */
class SafeTarExtractorTest {
    private static final SafeTarExtractor.Options PLAIN = SafeTarExtractor.Options.of("archive", 1 << 20, 100);

    private static byte[] tar(TarArchiveEntry... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            for (TarArchiveEntry entry : entries) {
                byte[] content = entry.isFile() && !entry.isLink() ? entry.getName().getBytes(StandardCharsets.UTF_8) : new byte[0];
                if (entry.isFile() && !entry.isLink()) {
                    entry.setSize(content.length);
                }
                out.putArchiveEntry(entry);
                out.write(content);
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static TarArchiveEntry file(String name, int uid) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(0640);
        entry.setUserId(uid);
        entry.setGroupId(uid);
        return entry;
    }

    private static int attribute(Path path, String name) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void keeps_the_tars_owners_or_gives_one_owner(@TempDir Path dir) throws Exception {
        Path kept = Files.createDirectories(dir.resolve("kept"));
        new SafeTarExtractor(FileOps.linux(), PLAIN).extract(new ByteArrayInputStream(tar(file("a.txt", 1234))), kept);
        assertThat(attribute(kept.resolve("a.txt"), "uid")).isEqualTo(1234);
        assertThat(attribute(kept.resolve("a.txt"), "mode") & 07777).isEqualTo(0640);

        Path owned = Files.createDirectories(dir.resolve("owned"));
        new SafeTarExtractor(FileOps.linux(), new SafeTarExtractor.Options("archive", 1 << 20, 100, new int[] {7, 8}, false))
                .extract(new ByteArrayInputStream(tar(file("a.txt", 1234))), owned);
        assertThat(attribute(owned.resolve("a.txt"), "uid")).isEqualTo(7);
        assertThat(attribute(owned.resolve("a.txt"), "gid")).isEqualTo(8);
    }

    @Test
    void no_overwrite_dir_non_dir_refuses_either_replacement(@TempDir Path dir) throws Exception {
        SafeTarExtractor careful = new SafeTarExtractor(FileOps.linux(),
                new SafeTarExtractor.Options("archive", 1 << 20, 100, null, true));
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> careful.extract(new ByteArrayInputStream(tar(file("data", 0))), dir))
                .isInstanceOf(UnsafeArchiveException.class).hasMessageContaining("cannot overwrite directory \"data\"");
        assertThatThrownBy(() -> careful.extract(new ByteArrayInputStream(tar(new TarArchiveEntry("file/"))), dir))
                .isInstanceOf(UnsafeArchiveException.class).hasMessageContaining("cannot overwrite non-directory \"file\"");
        assertThat(dir.resolve("data")).isDirectory();
        // without the option, as for layers, the entry replaces what is there
        new SafeTarExtractor(FileOps.linux(), PLAIN).extract(new ByteArrayInputStream(tar(file("data", 0))), dir);
        assertThat(dir.resolve("data")).isRegularFile();
    }

    @Test
    void an_existing_symlink_below_the_target_is_never_followed(@TempDir Path dir) throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path target = Files.createDirectories(dir.resolve("target"));
        Files.createSymbolicLink(target.resolve("link"), outside);
        assertThatThrownBy(() -> new SafeTarExtractor(FileOps.linux(), PLAIN)
                .extract(new ByteArrayInputStream(tar(file("link/evil", 0))), target))
                .isInstanceOf(UnsafeArchiveException.class).hasMessage("invalid archive: \"link/evil\" passes through the symlink \"link\"");
        TarArchiveEntry climb = new TarArchiveEntry("../escape.txt");
        assertThatThrownBy(() -> new SafeTarExtractor(FileOps.linux(), PLAIN)
                .extract(new ByteArrayInputStream(tar(climb)), target))
                .hasMessage("invalid archive: path traversal: \"../escape.txt\" is outside of the archive");
        TarArchiveEntry hardLink = new TarArchiveEntry("hard", TarConstants.LF_LINK);
        hardLink.setLinkName("../outside/x");
        assertThatThrownBy(() -> new SafeTarExtractor(FileOps.linux(), PLAIN)
                .extract(new ByteArrayInputStream(tar(hardLink)), target))
                .hasMessageContaining("points outside the archive");
        try (var entries = Files.list(outside)) {
            assertThat(entries).isEmpty();
        }
    }
}
