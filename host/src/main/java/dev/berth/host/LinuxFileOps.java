package dev.berth.host;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

final class LinuxFileOps implements FileOps {
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int XATTR_BUFFER = 4096;
    private static final int ERANGE = 34;
    private static final int ENOTSUP = 95;

    @Override
    public void mknod(Path path, int typeAndMode, int major, int minor) throws IOException {
        NativeAccess.check(NativeAccess.libc().mknod(path.toString(), typeAndMode, makedev(major, minor)), "mknod", path);
    }

    /** glibc's encoding of a device number. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    @Override
    public void lchown(Path path, int uid, int gid) throws IOException {
        NativeAccess.check(NativeAccess.libc().lchown(path.toString(), uid, gid), "lchown", path);
    }

    @Override
    public void chmod(Path path, int mode) throws IOException {
        NativeAccess.check(NativeAccess.libc().chmod(path.toString(), mode & 07777), "chmod", path);
    }

    @Override
    public void lsetxattr(Path path, String name, byte[] value) throws IOException {
        NativeAccess.check(NativeAccess.libc().lsetxattr(path.toString(), name, value, value.length, 0), "lsetxattr", path);
    }

    @Override
    public Optional<byte[]> lgetxattr(Path path, String name) throws IOException {
        byte[] buffer = new byte[XATTR_BUFFER];
        long size = NativeAccess.libc().lgetxattr(path.toString(), name, buffer, buffer.length);
        if (size < 0 && NativeAccess.errno() == ERANGE) {
            // larger than the usual buffer (an ACL, say): ask its size, then read it whole
            long needed = NativeAccess.libc().lgetxattr(path.toString(), name, null, 0);
            buffer = new byte[(int) Math.max(needed, 0)];
            size = NativeAccess.libc().lgetxattr(path.toString(), name, buffer, buffer.length);
        }
        if (size < 0) {
            int errno = NativeAccess.errno();
            if (errno == NativeCallException.ENODATA) {
                return Optional.empty();
            }
            throw new NativeCallException("lgetxattr", path.toString(), errno, NativeAccess.libc().strerror(errno));
        }
        return Optional.of(Arrays.copyOf(buffer, (int) size));
    }

    @Override
    public List<String> llistxattr(Path path) throws IOException {
        byte[] buffer = new byte[XATTR_BUFFER];
        long size = NativeAccess.libc().llistxattr(path.toString(), buffer, buffer.length);
        if (size < 0) {
            int errno = NativeAccess.errno();
            if (errno == ENOTSUP) {
                return List.of();
            }
            if (errno == ERANGE) {
                long needed = NativeAccess.libc().llistxattr(path.toString(), null, 0);
                buffer = new byte[(int) Math.max(needed, 0)];
                size = NativeAccess.libc().llistxattr(path.toString(), buffer, buffer.length);
            }
            if (size < 0) {
                errno = NativeAccess.errno();
                throw new NativeCallException("llistxattr", path.toString(), errno, NativeAccess.libc().strerror(errno));
            }
        }
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < size; i++) {
            if (buffer[i] == 0) {
                if (i > start) {
                    names.add(new String(buffer, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return names;
    }

    @Override
    public void setTimes(Path path, long epochSecond, int nanos) throws IOException {
        long[] times = {epochSecond, nanos, epochSecond, nanos};
        NativeAccess.check(NativeAccess.libc().utimensat(AT_FDCWD, path.toString(), times, AT_SYMLINK_NOFOLLOW),
                "utimensat", path);
    }

    @Override
    public void mkfifo(Path path, int mode) throws IOException {
        NativeAccess.check(NativeAccess.libc().mkfifo(path.toString(), mode), "mkfifo", path);
    }
}
