package dev.berth.graph.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.image.ContainerChanges.Kind;
import dev.berth.graph.commit.LayerTarWriter;
import dev.berth.graph.layer.TreeCopier;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vfs's whole copies, the comparison that finds a container's changes, and the layer it makes applied back. */
class VfsTreesTest {
    private static final FileTime TIME = FileTime.from(Instant.parse("2024-05-06T07:08:09.123456789Z"));
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    final FileOps ops = FileOps.linux();
    final TreeCopier copier = new TreeCopier(ops);

    @TempDir
    Path dir;
    Path image;

    @BeforeEach
    void anImage() throws Exception {
        image = Files.createDirectories(dir.resolve("image"));
        Files.createDirectories(image.resolve("bin"));
        Files.writeString(image.resolve("bin/ls"), "ls");
        Files.writeString(image.resolve("bin/cat"), "cat");
        Files.createLink(image.resolve("bin/cat-again"), image.resolve("bin/cat"));
        Files.createSymbolicLink(image.resolve("bin/sh"), Path.of("busybox"));
        Files.createDirectories(image.resolve("etc/old"));
        Files.writeString(image.resolve("etc/old/a"), "a");
        Path tool = Files.writeString(image.resolve("bin/ping"), "ping");
        ops.lchown(tool, 1000, 1001);
        ops.chmod(tool, 04750);
        ops.lsetxattr(tool, "trusted.berth-test", "value".getBytes(StandardCharsets.UTF_8));
        ops.mknod(image.resolve("null"), FileOps.S_IFCHR | 0666, 1, 3);
        ops.mkfifo(image.resolve("pipe"), 0640);
        Files.createDirectories(image.resolve("untouched/deep"));
        for (Path path : walk(image)) {
            ops.setTimes(path, TIME.toInstant().getEpochSecond(), TIME.toInstant().getNano());
        }
    }

    private Path copyOfImage(String name) throws Exception {
        Path copy = Files.createDirectories(dir.resolve(name));
        copier.copyInto(image, copy);
        return copy;
    }

    @Test
    void aCopyKeepsOwnersModesTimesLinksDevicesAndXattrs() throws Exception {
        Path copy = copyOfImage("copy");
        assertThat(describe(copy)).isEqualTo(describe(image));
        assertThat(Files.readSymbolicLink(copy.resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
        assertThat(Files.isSameFile(copy.resolve("bin/cat"), copy.resolve("bin/cat-again"))).isTrue();
        assertThat(Files.isSameFile(copy.resolve("bin/cat"), image.resolve("bin/cat"))).isFalse();
        assertThat(ops.lgetxattr(copy.resolve("bin/ping"), "trusted.berth-test").map(String::new)).contains("value");
        assertThat(Files.getAttribute(copy.resolve("null"), "unix:rdev", NOFOLLOW))
                .isEqualTo(Files.getAttribute(image.resolve("null"), "unix:rdev", NOFOLLOW));
        assertThat(new TreeComparer().compare(image, copy, Set.of())).isEmpty();
    }

    @Test
    void theComparisonNamesAddedChangedAndDeletedPathsParentsFirst() throws Exception {
        Path container = copyOfImage("container");
        Files.writeString(container.resolve("bin/cat"), "new cat"); // content: size and mtime, cat-again's too
        ops.chmod(container.resolve("bin/ls"), 0700); // mode only
        Files.delete(container.resolve("bin/sh"));
        Files.createSymbolicLink(container.resolve("bin/sh"), Path.of("dash")); // another target
        ops.setTimes(container.resolve("bin/sh"), TIME.toInstant().getEpochSecond(), TIME.toInstant().getNano());
        Files.createLink(container.resolve("bin/ls-link"), container.resolve("bin/ls")); // a new hard link
        Files.delete(container.resolve("null"));
        deleteTree(container.resolve("etc/old"));
        Files.createDirectories(container.resolve("new/dir"));
        Files.writeString(container.resolve("new/dir/file"), "x");
        Files.writeString(container.resolve("etc/hosts"), ""); // the runtime's bind target
        Files.setLastModifiedTime(container.resolve("untouched/deep"), FileTime.from(Instant.now())); // a directory's time alone

        List<FileChange> changes = new TreeComparer().compare(image, container, Set.of("/etc/hosts"));
        List<String> shown = new ArrayList<>();
        for (FileChange change : changes) {
            shown.add(change.kind().name().charAt(0) + " " + change.path() + (change.form() == FileChange.Form.WHITEOUT ? " (whiteout)" : ""));
        }
        assertThat(shown).containsExactly(
                "M /bin", "M /bin/cat", "M /bin/cat-again", "M /bin/ls", "A /bin/ls-link", "M /bin/sh",
                "M /etc", "D /etc/old (whiteout)",
                "A /new", "A /new/dir", "A /new/dir/file",
                "D /null (whiteout)");
        assertThat(changes).filteredOn(c -> c.kind() == Kind.DELETED).allMatch(c -> c.form() == FileChange.Form.WHITEOUT);
    }

    @Test
    void theLayerOfAComparisonAppliedToTheImageGivesTheContainer() throws Exception {
        Path container = copyOfImage("container");
        Files.writeString(container.resolve("bin/cat"), "new cat");
        Files.delete(container.resolve("bin/ls"));
        deleteTree(container.resolve("etc/old"));
        Files.createLink(container.resolve("bin/two"), Files.writeString(container.resolve("bin/one"), "one"));
        ops.lchown(container.resolve("pipe"), 5, 6);

        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        LayerTarWriter.write(new TreeComparer().compare(image, container, Set.of()), tar);
        Path layer = copyOfImage("layer");
        new LayerUnpacker(ops, UnpackLimits.withMaxBytes(1 << 20), true).unpack(new ByteArrayInputStream(tar.toByteArray()), layer);

        assertThat(describe(layer)).isEqualTo(describe(container));
        assertThat(Files.isSameFile(layer.resolve("bin/one"), layer.resolve("bin/two"))).isTrue();
        assertThat(Files.exists(layer.resolve("bin/ls"), NOFOLLOW)).isFalse();
    }

    @Test
    void anOpaqueDirectoryKeepsOnlyWhatItsLayerWrites() throws Exception {
        Path layer = copyOfImage("layer");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            file(tar, "etc/old/kept", "k"); // before the marker: stays
            file(tar, "etc/old/.wh..wh..opq", "");
            file(tar, "bin/.wh.cat", "");
            file(tar, "absent/.wh.thing", ""); // nothing there: nothing happens
        }
        new LayerUnpacker(ops, UnpackLimits.withMaxBytes(1 << 20), true).unpack(new ByteArrayInputStream(bytes.toByteArray()), layer);
        try (Stream<Path> old = Files.list(layer.resolve("etc/old"))) {
            assertThat(old.map(p -> p.getFileName().toString())).containsExactly("kept");
        }
        assertThat(Files.exists(layer.resolve("bin/cat"))).isFalse();
        assertThat(Files.readString(layer.resolve("bin/cat-again"))).isEqualTo("cat");
        assertThat(Files.exists(layer.resolve("absent"))).isFalse();
        assertThat(walk(layer)).noneMatch(p -> p.getFileName().toString().startsWith(".wh."));
    }

    @Test
    void aWhiteoutThroughASymlinkIsRefused() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("victim"), "v");
        Path layer = copyOfImage("layer");
        Files.createSymbolicLink(layer.resolve("escape"), outside);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            file(tar, "escape/.wh.victim", "");
        }
        LayerUnpacker unpacker = new LayerUnpacker(ops, UnpackLimits.withMaxBytes(1 << 20), true);
        assertThatThrownBy(() -> unpacker.unpack(new ByteArrayInputStream(bytes.toByteArray()), layer))
                .isInstanceOf(EngineException.class).hasMessageContaining("symlink");
        assertThat(outside.resolve("victim")).exists();
    }

    private static void file(TarArchiveOutputStream tar, String name, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        entry.setMode(0100644);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /**
     * Every path's type, mode, owner, size, device and (but for directories) mtime and link
     * target, by relative name. Times to the microsecond: a tar keeps no finer ones.
     */
    private static Map<String, String> describe(Path root) throws Exception {
        Map<String, String> described = new TreeMap<>();
        for (Path path : walk(root)) {
            Map<String, Object> a = Files.readAttributes(path, "unix:*", NOFOLLOW);
            int mode = (int) a.get("mode");
            boolean directory = (mode & 0170000) == 0040000;
            boolean symlink = (mode & 0170000) == 0120000;
            described.put(root.relativize(path).toString(), Integer.toOctalString(mode) + " " + a.get("uid") + ":" + a.get("gid")
                    + " rdev " + a.get("rdev") + (directory ? "" : " size " + a.get("size") + " mtime " + ((FileTime) a.get("lastModifiedTime")).to(java.util.concurrent.TimeUnit.MICROSECONDS))
                    + (symlink ? " -> " + Files.readSymbolicLink(path) : ""));
        }
        return described;
    }

    private static List<Path> walk(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.toList();
        }
    }

    private static void deleteTree(Path root) throws Exception {
        dev.berth.host.FileTrees.deleteTree(root);
    }
}
