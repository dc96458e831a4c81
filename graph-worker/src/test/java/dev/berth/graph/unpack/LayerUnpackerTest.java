package dev.berth.graph.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.graph.testing.TarBuilder;
import dev.berth.host.FileOps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerUnpackerTest {
    @TempDir
    Path dir;
    Path layer;
    final FileOps ops = FileOps.linux();
    final LayerUnpacker unpacker = new LayerUnpacker(ops, UnpackLimits.withMaxBytes(1 << 20));

    @BeforeEach
    void createLayerDirectory() throws Exception {
        layer = Files.createDirectory(dir.resolve("layer"));
    }

    LayerUnpacker.Result unpack(byte[] tar) throws Exception {
        return unpacker.unpack(new ByteArrayInputStream(tar), layer);
    }

    static int mode(Path path) throws Exception {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void unpacksFilesWithModesOwnersTimesAndXattrs() throws Exception {
        byte[] tar = new TarBuilder().dir("usr", 0750).dir("usr/bin")
                .file("usr/bin/su", "su".getBytes(StandardCharsets.UTF_8), 04755, 0, 0)
                .file("home.txt", "mine".getBytes(StandardCharsets.UTF_8), 0600, 1000, 1001)
                .fileWithXattrs("tagged", "x", Map.of("user.berth", "yes"))
                .symlink("usr/bin/sh", "/bin/busybox")
                .build();
        LayerUnpacker.Result result = unpack(tar);
        assertThat(result.entries()).isEqualTo(6);
        assertThat(result.contentBytes()).isEqualTo(7);
        assertThat(mode(layer.resolve("usr/bin/su")) & 07777).isEqualTo(04755);
        assertThat(mode(layer.resolve("usr")) & 07777).isEqualTo(0750);
        assertThat(Files.getAttribute(layer.resolve("home.txt"), "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(layer.resolve("home.txt"), "unix:gid")).isEqualTo(1001);
        assertThat(Files.getLastModifiedTime(layer.resolve("usr"))).isEqualTo(FileTime.from(TarBuilder.TIME));
        assertThat(Files.getLastModifiedTime(layer.resolve("usr/bin/su"))).isEqualTo(FileTime.from(TarBuilder.TIME));
        assertThat(Files.readSymbolicLink(layer.resolve("usr/bin/sh"))).isEqualTo(Path.of("/bin/busybox"));
        assertThat(Files.getLastModifiedTime(layer.resolve("usr/bin/sh"), LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(FileTime.from(TarBuilder.TIME));
        assertThat(ops.lgetxattr(layer.resolve("tagged"), "user.berth")).hasValueSatisfying(
                v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("yes"));
    }

    @Test
    void convertsWhiteoutsToOverlayForm() throws Exception {
        byte[] tar = new TarBuilder().dir("etc").file("etc/.wh.passwd", "").dir("var/cache")
                .file("var/cache/.wh..wh..opq", "").file("var/cache/new", "n").file(".wh..wh.plnk", "").build();
        unpack(tar);
        Path whiteout = layer.resolve("etc/passwd");
        assertThat((Integer) Files.getAttribute(whiteout, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000)
                .isEqualTo(FileOps.S_IFCHR);
        assertThat(Files.getAttribute(whiteout, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0L);
        assertThat(layer.resolve("etc/.wh.passwd")).doesNotExist();
        assertThat(ops.lgetxattr(layer.resolve("var/cache"), "trusted.overlay.opaque")).hasValueSatisfying(
                v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("y"));
        assertThat(layer.resolve("var/cache/.wh..wh..opq")).doesNotExist();
        assertThat(layer.resolve("var/cache/new")).hasContent("n");
        assertThat(layer.resolve(".wh..wh.plnk")).doesNotExist();
    }

    @Test
    void makesHardLinksDevicesAndFifos() throws Exception {
        byte[] tar = new TarBuilder().dir("bin").file("bin/busybox", "bb").hardlink("bin/ls", "bin/busybox")
                .hardlink("./bin/cat", "/bin/busybox").dir("dev").charDevice("dev/null", 1, 3)
                .blockDevice("dev/loop9", 7, 9).fifo("dev/pipe").build();
        unpack(tar);
        Object inode = Files.getAttribute(layer.resolve("bin/busybox"), "unix:ino");
        assertThat(Files.getAttribute(layer.resolve("bin/ls"), "unix:ino")).isEqualTo(inode);
        assertThat(Files.getAttribute(layer.resolve("bin/cat"), "unix:ino")).isEqualTo(inode);
        assertThat(mode(layer.resolve("dev/null")) & 0170000).isEqualTo(FileOps.S_IFCHR);
        assertThat(Files.getAttribute(layer.resolve("dev/null"), "unix:rdev")).isEqualTo((1L << 8) | 3);
        assertThat(mode(layer.resolve("dev/loop9")) & 0170000).isEqualTo(FileOps.S_IFBLK);
        assertThat(mode(layer.resolve("dev/pipe")) & 0170000).isEqualTo(FileOps.S_IFIFO);
    }

    @Test
    void laterEntriesReplaceEarlierOnes() throws Exception {
        byte[] tar = new TarBuilder().file("a", "file").dir("a").file("a/b", "x").file("a", "again").build();
        unpack(tar);
        assertThat(layer.resolve("a")).hasContent("again");
    }

    @Test
    void absoluteNamesCountFromTheLayerRoot() throws Exception {
        unpack(new TarBuilder().file("/etc/hosts", "h").file("/../../etc/motd", "m").build());
        assertThat(layer.resolve("etc/hosts")).hasContent("h");
        assertThat(layer.resolve("etc/motd")).hasContent("m");
    }

    void refused(byte[] tar, String message) {
        ThrowingCallable call = () -> unpack(tar);
        assertThatThrownBy(call).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains(message);
        });
        assertThat(dir.resolve("escaped")).doesNotExist();
    }

    @Test
    void refusesPathTraversal() {
        refused(new TarBuilder().file("../escaped", "x").build(), "path traversal");
        refused(new TarBuilder().file("a/../../escaped", "x").build(), "path traversal");
    }

    @Test
    void refusesEntriesThroughSymlinks() {
        refused(new TarBuilder().symlink("out", dir.toString()).file("out/escaped", "x").build(), "passes through the symlink");
        refused(new TarBuilder().symlink("up", "..").file("up/escaped", "x").build(), "passes through the symlink");
        refused(new TarBuilder().dir("d").symlink("d/in", ".").file("d/in/x", "x").build(), "passes through the symlink");
    }

    @Test
    void refusesWhiteoutsThroughSymlinks() throws Exception {
        Files.createDirectory(dir.resolve("escaped-dir"));
        refused(new TarBuilder().symlink("out", dir.resolve("escaped-dir").toString()).file("out/.wh.victim", "").build(),
                "passes through the symlink");
        refused(new TarBuilder().symlink("out", dir.resolve("escaped-dir").toString()).file("out/.wh..wh..opq", "").build(),
                "passes through the symlink");
        assertThat(ops.lgetxattr(dir.resolve("escaped-dir"), "trusted.overlay.opaque")).isEmpty();
    }

    @Test
    void refusesHardLinksThatEscape() throws Exception {
        Files.writeString(dir.resolve("secret"), "s");
        refused(new TarBuilder().hardlink("link", "../secret").build(), "points outside the layer");
        refused(new TarBuilder().symlink("out", dir.toString()).hardlink("link", "out/secret").build(),
                "passes through the symlink");
        refused(new TarBuilder().hardlink("link", "missing").build(), "which is not in the layer");
    }

    @Test
    void refusesLayersOverTheByteBudget() {
        LayerUnpacker small = new LayerUnpacker(ops, UnpackLimits.withMaxBytes(10_000));
        byte[] tar = new TarBuilder().file("big", new byte[20_000], 0644, 0, 0).build();
        assertThatThrownBy(() -> small.unpack(new ByteArrayInputStream(tar), layer))
                .hasMessageContaining("refusing a layer larger than 10000 bytes");
        byte[] header = new TarBuilder().fileHeaderOnly("huge", 1L << 40).unfinished();
        assertThatThrownBy(() -> small.unpack(new ByteArrayInputStream(header), layer))
                .hasMessageContaining("refusing a layer larger than");
    }

    @Test
    void refusesLayersWithTooManyEntries() {
        LayerUnpacker few = new LayerUnpacker(ops, new UnpackLimits(1 << 20, 3, 100, 1 << 20));
        TarBuilder builder = new TarBuilder();
        for (int i = 0; i < 5; i++) {
            builder.file("f" + i, "x");
        }
        assertThatThrownBy(() -> few.unpack(new ByteArrayInputStream(builder.build()), layer))
                .hasMessageContaining("more than 3 entries");
    }

    @Test
    void refusesDecompressionBombs() throws Exception {
        byte[] tar = new TarBuilder().file("zeros", new byte[4 << 20], 0644, 0, 0).build();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        UnpackLimits limits = new UnpackLimits(64 << 20, 1000, 100, 1 << 20);
        LayerUnpacker bounded = new LayerUnpacker(ops, limits);
        assertThatThrownBy(() -> bounded.unpack(Decompression.inflate(new ByteArrayInputStream(gz.toByteArray()), limits), layer))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("decompression bomb");
        UnpackLimits generous = new UnpackLimits(64 << 20, 1000, 10_000, 1 << 20);
        Path other = Files.createDirectory(dir.resolve("other"));
        new LayerUnpacker(ops, generous).unpack(Decompression.inflate(new ByteArrayInputStream(gz.toByteArray()), generous), other);
        assertThat(Files.size(other.resolve("zeros"))).isEqualTo(4 << 20);
    }

    @Test
    void recognisesEveryCompression() {
        assertThat(Decompression.detect(new byte[] {0x1f, (byte) 0x8b, 8}, 3)).isEqualTo(Decompression.Format.GZIP);
        assertThat(Decompression.detect("BZh9".getBytes(StandardCharsets.US_ASCII), 4)).isEqualTo(Decompression.Format.BZIP2);
        assertThat(Decompression.detect(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}, 6)).isEqualTo(Decompression.Format.XZ);
        assertThat(Decompression.detect(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}, 4)).isEqualTo(Decompression.Format.ZSTD);
        assertThat(Decompression.detect("usr/".getBytes(StandardCharsets.US_ASCII), 4)).isEqualTo(Decompression.Format.NONE);
    }

    @Test
    void refusesGarbage() {
        refused("this is not a tar archive at all, it is just text that goes on and on".repeat(20)
                .getBytes(StandardCharsets.US_ASCII), "invalid tar header");
    }
}
