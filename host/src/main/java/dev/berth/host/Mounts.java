package dev.berth.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** mount(2) and umount2(2), plus a reader of /proc/self/mountinfo. */
public interface Mounts {
    long MS_RDONLY = 1;
    long MS_NOSUID = 2;
    long MS_NODEV = 4;
    long MS_NOEXEC = 8;
    long MS_REMOUNT = 32;
    long MS_BIND = 4096;
    long MS_REC = 16384;
    long MS_PRIVATE = 1 << 18;
    long MS_SHARED = 1 << 20;
    int MNT_DETACH = 2;

    void mount(String source, Path target, String type, long flags, String data) throws IOException;

    /** Unmounts target; an absent mount (EINVAL) or absent path (ENOENT) is not an error. */
    void unmount(Path target, int flags) throws IOException;

    /** Mount points at or below the given directory, deepest first (the order to unmount them in). */
    List<Path> mountsUnder(Path directory) throws IOException;

    static Mounts linux() {
        return new LinuxMounts();
    }
}
