package dev.berth.graph.layer;

import dev.berth.host.FileOps;
import dev.berth.host.NativeCallException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Copies a directory tree whole, as the vfs driver keeps layers and containers: owners, all twelve
 * mode bits, modification times (to the nanosecond), symlinks (never followed), device nodes,
 * FIFOs and sockets, extended attributes (file capabilities included) and hard links within the
 * tree (files sharing an inode in the source share one in the copy). Java copies the bytes;
 * JNR-FFI does what the JDK cannot (lchown, mknod, xattrs, times of symlinks). Blocking: call it
 * on a worker thread.
 */
public final class TreeCopier {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int ENOTSUP = 95;
    /** Only Berth decides what overlay sees; a copy never carries overlay's own attributes. */
    private static final String OVERLAY_XATTRS = "trusted.overlay.";

    private final FileOps fileOps;

    public TreeCopier(FileOps fileOps) {
        this.fileOps = fileOps;
    }

    /** Copies source's content and its own metadata into target, an existing empty directory. */
    public void copyInto(Path source, Path target) throws IOException {
        Map<Object, Path> firstCopyOfInode = new HashMap<>();
        copyChildren(source, target, firstCopyOfInode);
        applyMetadata(source, target, attributes(source));
    }

    private void copyChildren(Path sourceDir, Path targetDir, Map<Object, Path> firstCopyOfInode) throws IOException {
        String[] names;
        try (Stream<Path> children = Files.list(sourceDir)) {
            names = children.map(child -> child.getFileName().toString()).toArray(String[]::new);
        }
        Arrays.sort(names);
        for (String name : names) {
            copyEntry(sourceDir.resolve(name), targetDir.resolve(name), firstCopyOfInode);
        }
    }

    private void copyEntry(Path from, Path to, Map<Object, Path> firstCopyOfInode) throws IOException {
        Map<String, Object> attributes = attributes(from);
        int mode = (int) attributes.get("mode");
        int type = mode & S_IFMT;
        switch (type) {
            case S_IFDIR -> {
                Files.createDirectory(to);
                copyChildren(from, to, firstCopyOfInode);
            }
            case S_IFREG -> {
                if ((int) attributes.get("nlink") > 1) {
                    Object inode = attributes.get("fileKey");
                    Path first = firstCopyOfInode.get(inode);
                    if (first != null) {
                        Files.createLink(to, first);
                        return; // the inode, and so its metadata, is shared
                    }
                    firstCopyOfInode.put(inode, to);
                }
                Files.copy(from, to, NOFOLLOW);
            }
            case S_IFLNK -> Files.createSymbolicLink(to, Files.readSymbolicLink(from));
            default -> {
                long rdev = ((Number) attributes.get("rdev")).longValue();
                int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
                int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
                fileOps.mknod(to, type | (mode & 0777), major, minor);
            }
        }
        applyMetadata(from, to, attributes);
    }

    /** Owner before mode (chown clears set-id bits), attributes, then times, which the others would disturb. */
    private void applyMetadata(Path from, Path to, Map<String, Object> attributes) throws IOException {
        int mode = (int) attributes.get("mode");
        fileOps.lchown(to, (int) attributes.get("uid"), (int) attributes.get("gid"));
        boolean symlink = (mode & S_IFMT) == S_IFLNK;
        if (!symlink) {
            fileOps.chmod(to, mode & 07777);
        }
        copyXattrs(from, to);
        Instant modified = ((FileTime) attributes.get("lastModifiedTime")).toInstant();
        fileOps.setTimes(to, modified.getEpochSecond(), modified.getNano());
    }

    private void copyXattrs(Path from, Path to) throws IOException {
        List<String> names = fileOps.llistxattr(from);
        for (String name : names) {
            if (name.startsWith(OVERLAY_XATTRS)) {
                continue;
            }
            var value = fileOps.lgetxattr(from, name);
            if (value.isEmpty()) {
                continue; // removed since it was listed
            }
            try {
                fileOps.lsetxattr(to, name, value.get());
            } catch (NativeCallException e) {
                if (e.errno() != ENOTSUP) {
                    throw e;
                }
            }
        }
    }

    private static Map<String, Object> attributes(Path path) throws IOException {
        return Files.readAttributes(path, "unix:*", NOFOLLOW);
    }
}
