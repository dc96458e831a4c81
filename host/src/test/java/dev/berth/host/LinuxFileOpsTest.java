package dev.berth.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxFileOpsTest {
    private final FileOps files = FileOps.linux();

    @Test
    void makedevMatchesGlibcForSmallAndLargeNumbers() {
        assertThat(LinuxFileOps.makedev(0, 0)).isZero();
        assertThat(LinuxFileOps.makedev(1, 3)).isEqualTo(0x103);
        assertThat(LinuxFileOps.makedev(259, 70000)).isEqualTo(0x1111_0370L);
    }

    @Test
    void createsAWhiteoutDeviceAndSetsOpaqueXattr(@TempDir Path dir) throws Exception {
        Path whiteout = dir.resolve("gone");
        files.mknod(whiteout, FileOps.S_IFCHR | 0, 0, 0);
        assertThat(Files.getAttribute(whiteout, "unix:mode")).isEqualTo(FileOps.S_IFCHR);
        assertThat(Files.getAttribute(whiteout, "unix:rdev")).isEqualTo(0L);

        Path opaque = Files.createDirectory(dir.resolve("opaque"));
        files.lsetxattr(opaque, "trusted.overlay.opaque", "y".getBytes());
        assertThat(files.lgetxattr(opaque, "trusted.overlay.opaque")).hasValueSatisfying(v -> assertThat(v).isEqualTo("y".getBytes()));
        assertThat(files.lgetxattr(dir, "trusted.overlay.opaque")).isEmpty();
    }

    @Test
    void chmodKeepsSetuidAndLchownTouchesTheLinkItself(@TempDir Path dir) throws Exception {
        Path target = Files.createFile(dir.resolve("target"));
        files.chmod(target, 04755);
        assertThat(((Integer) Files.getAttribute(target, "unix:mode")) & 07777).isEqualTo(04755);

        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        files.lchown(link, 1234, 5678);
        assertThat(Files.getAttribute(link, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS)).isEqualTo(1234);
        assertThat(Files.getAttribute(target, "unix:uid")).isEqualTo(0);
    }

    @Test
    void setTimesDoesNotFollowSymlinks(@TempDir Path dir) throws Exception {
        Path target = Files.createFile(dir.resolve("target"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        files.setTimes(link, 1_000_000, 5);
        assertThat(Files.getLastModifiedTime(link, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(FileTime.from(java.time.Instant.ofEpochSecond(1_000_000, 5)));
        assertThat(Files.getLastModifiedTime(target).toInstant().getEpochSecond()).isNotEqualTo(1_000_000);
    }

    @Test
    void failuresCarryErrnoAndPath(@TempDir Path dir) {
        assertThatThrownBy(() -> files.chmod(dir.resolve("missing"), 0644))
                .isInstanceOfSatisfying(NativeCallException.class, e -> {
                    assertThat(e.errno()).isEqualTo(NativeCallException.ENOENT);
                    assertThat(e.getMessage()).contains("missing").contains("No such file");
                });
    }

    @Test
    void mkfifoMakesAFifo(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("ctl");
        files.mkfifo(fifo, 0600);
        assertThat(Files.isRegularFile(fifo)).isFalse();
        assertThat(((Integer) Files.getAttribute(fifo, "unix:mode")) & 0170000).isEqualTo(FileOps.S_IFIFO);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fifo))).isEqualTo("rw-------");
    }

    @Test
    void xattrsAreListedAndReadWhateverTheirSize(@TempDir Path dir) throws Exception {
        FileOps ops = FileOps.linux();
        // tmpfs takes values larger than a block, which ext4 (where /tmp is here) refuses
        Path shm = Files.createTempDirectory(Path.of("/dev/shm"), "berth-xattr-");
        try {
            checkXattrs(ops, shm, dir);
        } finally {
            FileTrees.deleteTree(shm);
        }
    }

    private static void checkXattrs(FileOps ops, Path shm, Path dir) throws Exception {
        Path file = Files.writeString(shm.resolve("f"), "x");
        byte[] large = new byte[6000];
        java.util.Arrays.fill(large, (byte) 'a');
        ops.lsetxattr(file, "trusted.berth-large", large);
        ops.lsetxattr(file, "trusted.berth-small", "s".getBytes());
        assertThat(ops.llistxattr(file)).contains("trusted.berth-large", "trusted.berth-small");
        assertThat(ops.lgetxattr(file, "trusted.berth-large")).hasValueSatisfying(v -> assertThat(v).isEqualTo(large));
        assertThat(ops.lgetxattr(file, "trusted.berth-none")).isEmpty();
        assertThat(ops.llistxattr(Files.writeString(dir.resolve("plain"), "y"))).doesNotContain("trusted.berth-small");
    }
}
