package dev.berth.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

final class LinuxMounts implements Mounts {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    @Override
    public void mount(String source, Path target, String type, long flags, String data) throws IOException {
        NativeAccess.check(NativeAccess.libc().mount(source, target.toString(), type, flags, data), "mount", target);
    }

    @Override
    public void unmount(Path target, int flags) throws IOException {
        int rc = NativeAccess.libc().umount2(target.toString(), flags);
        if (rc < 0) {
            int errno = NativeAccess.errno();
            if (errno == NativeCallException.EINVAL || errno == NativeCallException.ENOENT) {
                return;
            }
            throw new NativeCallException("umount2", target.toString(), errno, NativeAccess.libc().strerror(errno));
        }
    }

    @Override
    public List<Path> mountsUnder(Path directory) throws IOException {
        String prefix = directory.toAbsolutePath().normalize().toString();
        List<Path> found = new ArrayList<>();
        for (String line : Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length < 5) {
                continue;
            }
            String mountPoint = MountInfo.unescape(fields[4]);
            if (mountPoint.equals(prefix) || mountPoint.startsWith(prefix + "/")) {
                found.add(Path.of(mountPoint));
            }
        }
        found.sort(Comparator.comparingInt((Path p) -> p.getNameCount()).reversed());
        return found;
    }
}
