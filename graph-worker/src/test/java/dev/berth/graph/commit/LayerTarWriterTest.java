package dev.berth.graph.commit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.image.ContainerChanges.Kind;
import dev.berth.graph.snapshot.FileChange;
import dev.berth.graph.snapshot.UpperDirScanner;
import dev.berth.graph.unpack.LayerUnpacker;
import dev.berth.graph.unpack.UnpackLimits;
import dev.berth.host.FileOps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An overlay upper directory read as changes, written as a layer tar, and unpacked back. */
class LayerTarWriterTest {
    private static final FileTime TIME = FileTime.from(Instant.parse("2024-05-06T07:08:09Z"));
    final FileOps ops = FileOps.linux();

    @TempDir
    Path dir;
    Path lower;
    Path upper;

    @BeforeEach
    void layers() throws Exception {
        lower = Files.createDirectories(dir.resolve("lower"));
        Files.createDirectories(lower.resolve("bin"));
        Files.writeString(lower.resolve("bin/ls"), "ls");
        Files.writeString(lower.resolve("bin/cat"), "cat");
        Files.createDirectories(lower.resolve("etc/old"));
        Files.writeString(lower.resolve("etc/old/a"), "a");
        Files.createDirectories(lower.resolve("untouched"));
        upper = Files.createDirectories(dir.resolve("upper"));
        Files.createDirectories(upper.resolve("bin"));
        ops.mknod(upper.resolve("bin/ls"), FileOps.S_IFCHR, 0, 0);
        Files.writeString(upper.resolve("bin/cat"), "new cat");
        Files.createDirectories(upper.resolve("etc/old"));
        ops.lsetxattr(upper.resolve("etc/old"), UpperDirScanner.OPAQUE_XATTR, "y".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(upper.resolve("etc/old/b"), "b");
        Files.writeString(upper.resolve("etc/hosts"), "");
        Files.createDirectories(upper.resolve("home/user"));
        Path owned = Files.writeString(upper.resolve("home/user/run.sh"), "#!/bin/sh\n");
        ops.lchown(owned, 1000, 1001);
        ops.chmod(owned, 04750);
        Files.setLastModifiedTime(owned, TIME);
        Files.createLink(upper.resolve("home/user/again.sh"), owned);
        Files.createSymbolicLink(upper.resolve("home/user/link"), Path.of("/etc/old/b"));
        ops.mkfifo(upper.resolve("home/user/pipe"), 0640);
    }

    List<FileChange> scan() throws Exception {
        return new UpperDirScanner(ops).scan(upper, List.of(lower), Set.of("/etc/hosts"));
    }

    @Test
    void changesNameWhatWasAddedChangedAndDeleted() throws Exception {
        Map<String, Kind> changes = new LinkedHashMap<>();
        for (FileChange entry : scan()) {
            changes.put(entry.path(), entry.kind());
        }
        assertThat(changes).containsExactly(
                Map.entry("/bin", Kind.MODIFIED), Map.entry("/bin/cat", Kind.MODIFIED), Map.entry("/bin/ls", Kind.DELETED),
                Map.entry("/etc", Kind.MODIFIED), Map.entry("/etc/old", Kind.MODIFIED), Map.entry("/etc/old/b", Kind.ADDED),
                Map.entry("/home", Kind.ADDED), Map.entry("/home/user", Kind.ADDED),
                Map.entry("/home/user/again.sh", Kind.ADDED), Map.entry("/home/user/link", Kind.ADDED),
                Map.entry("/home/user/pipe", Kind.ADDED), Map.entry("/home/user/run.sh", Kind.ADDED));
    }

    @Test
    void whiteoutsAndOpaqueDirectoriesBecomeTheArchiveForm() throws Exception {
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(layerTar()))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                entries.put(entry.getName(), entry);
            }
        }
        assertThat(entries.keySet()).containsExactly("bin/", "bin/cat", "bin/.wh.ls", "etc/", "etc/old/",
                "etc/old/.wh..wh..opq", "etc/old/b", "home/", "home/user/", "home/user/again.sh", "home/user/link",
                "home/user/pipe", "home/user/run.sh");
        assertThat(entries.get("bin/.wh.ls").isFile()).isTrue();
        assertThat(entries.get("bin/.wh.ls").getSize()).isZero();
        TarArchiveEntry first = entries.get("home/user/again.sh");
        assertThat(first.isFile()).isTrue();
        assertThat(first.getLongUserId()).isEqualTo(1000);
        assertThat(first.getLongGroupId()).isEqualTo(1001);
        assertThat(first.getMode() & 07777).isEqualTo(04750);
        assertThat(first.getLastModifiedTime()).isEqualTo(TIME);
        assertThat(entries.get("home/user/run.sh").isLink()).isTrue();
        assertThat(entries.get("home/user/run.sh").getLinkName()).isEqualTo("home/user/again.sh");
        assertThat(entries.get("home/user/link").getLinkName()).isEqualTo("/etc/old/b");
        assertThat(entries.get("home/user/pipe").isFIFO()).isTrue();
    }

    @Test
    void theTarUnpacksBackToTheOverlayForm() throws Exception {
        Path unpacked = Files.createDirectory(dir.resolve("unpacked"));
        new LayerUnpacker(ops, UnpackLimits.withMaxBytes(1 << 20)).unpack(new ByteArrayInputStream(layerTar()), unpacked);
        Map<String, Object> whiteout = Files.readAttributes(unpacked.resolve("bin/ls"), "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
        assertThat((int) whiteout.get("mode") & 0170000).isEqualTo(FileOps.S_IFCHR);
        assertThat(((Number) whiteout.get("rdev")).longValue()).isZero();
        assertThat(ops.lgetxattr(unpacked.resolve("etc/old"), UpperDirScanner.OPAQUE_XATTR).map(String::new)).contains("y");
        assertThat(Files.readString(unpacked.resolve("bin/cat"))).isEqualTo("new cat");
        assertThat(Files.isSameFile(unpacked.resolve("home/user/run.sh"), unpacked.resolve("home/user/again.sh"))).isTrue();
        assertThat(Files.exists(unpacked.resolve("etc/hosts"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    private byte[] layerTar() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerTarWriter.write(scan(), out);
        return out.toByteArray();
    }
}
