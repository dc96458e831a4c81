package dev.berth.graph.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBuilderTest {
    @TempDir
    Path dir;

    @Test
    void tarsAndCompressedFilesAreArchivesThatAddWouldExtractButTextIsNot() throws Exception {
        Path tar = dir.resolve("a.tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
            TarArchiveEntry entry = new TarArchiveEntry("x");
            entry.setSize(1);
            out.putArchiveEntry(entry);
            out.write('x');
            out.closeArchiveEntry();
        }
        Path gz = dir.resolve("a.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("text".getBytes());
        }
        Path text = Files.writeString(dir.resolve("a.txt"), "just text, long enough to look at ".repeat(20));
        assertThat(ImageBuilder.isArchive(tar)).isTrue();
        assertThat(ImageBuilder.isArchive(gz)).isTrue();
        assertThat(ImageBuilder.isArchive(text)).isFalse();
        assertThat(ImageBuilder.isArchive(dir)).isFalse();
    }

    @Test
    void aShortIdIsTwelveHexDigitsWithoutTheAlgorithm() {
        assertThat(ImageBuilder.shortId("sha256:0123456789abcdef0123")).isEqualTo("0123456789ab");
    }
}
