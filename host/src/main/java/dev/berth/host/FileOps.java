package dev.berth.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * File operations the JDK does not offer: device nodes, ownership of symlinks, set-id mode bits,
 * extended attributes on symlinks, timestamps without following links, FIFOs.
 */
public interface FileOps {
    int S_IFCHR = 0020000;
    int S_IFBLK = 0060000;
    int S_IFIFO = 0010000;

    void mknod(Path path, int typeAndMode, int major, int minor) throws IOException;

    /** Changes the owner of the path itself, never of a symlink's target. */
    void lchown(Path path, int uid, int gid) throws IOException;

    /** Sets all twelve permission bits, set-id and sticky included. Follows symlinks. */
    void chmod(Path path, int mode) throws IOException;

    void lsetxattr(Path path, String name, byte[] value) throws IOException;

    Optional<byte[]> lgetxattr(Path path, String name) throws IOException;

    /** The names of the path's own extended attributes (a symlink's, not its target's); empty where the file system keeps none. */
    List<String> llistxattr(Path path) throws IOException;

    /** Sets atime and mtime of the path itself (symlinks included). */
    void setTimes(Path path, long epochSecond, int nanos) throws IOException;

    void mkfifo(Path path, int mode) throws IOException;

    static FileOps linux() {
        return new LinuxFileOps();
    }
}
