package dev.berth.exec.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a container's tree as the tar docker cp expects from GET /containers/{id}/archive:
 * entries named from the asked path's last element (its children alone for "."), with modes,
 * owners and times; symlinks as links, never followed; hard links once; devices and FIFOs.
 */
public final class TreeArchiver {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFSOCK = 0140000;

    private TreeArchiver() {
    }

    /**
     * A container's files as a walk reads them: they are not all under one host directory (a
     * stopped container's volumes, a running one's /proc read from its snapshot).
     */
    public interface Tree {
        /** The host path of a clean container path. */
        Path hostOf(String containerPath);

        /** Names under the directory that lead to mounts, which its host directory may lack. */
        Set<String> mountsBelow(String containerPath);
    }

    /** Writes the tree at the clean container path, naming it base; closes nothing. */
    public static void write(Tree tree, String containerPath, String base, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        Map<Object, String> linked = new HashMap<>();
        add(tar, tree, containerPath, base.equals(".") ? "." : base, linked, base.equals("."), true);
        tar.finish();
        tar.flush();
    }

    private static void add(TarArchiveOutputStream tar, Tree tree, String containerPath, String name, Map<Object, String> linked,
            boolean dotRoot, boolean top) throws IOException {
        Path path = tree.hostOf(containerPath);
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(path, "unix:mode,uid,gid,size,lastModifiedTime,nlink,ino,dev,rdev",
                    LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            if (top) {
                throw e;
            }
            return; // a mount point that its directory lacks, or a file removed since the listing
        }
        int mode = (Integer) attributes.get("mode");
        int type = mode & S_IFMT;
        if (type == S_IFSOCK) {
            return; // as Docker: a socket has no content to copy
        }
        boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
        boolean symlink = Files.isSymbolicLink(path);
        TarArchiveEntry entry;
        if (symlink) {
            entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(path).toString());
        } else if (directory) {
            entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
        } else if (type == S_IFCHR || type == S_IFBLK) {
            entry = new TarArchiveEntry(name, type == S_IFCHR ? TarConstants.LF_CHR : TarConstants.LF_BLK);
            long rdev = ((Number) attributes.get("rdev")).longValue();
            entry.setDevMajor((int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfff)));
            entry.setDevMinor((int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xff)));
        } else if (type == S_IFIFO) {
            entry = new TarArchiveEntry(name, TarConstants.LF_FIFO);
        } else {
            Object inode = List.of(attributes.get("dev"), attributes.get("ino"));
            String first = (Integer) attributes.get("nlink") > 1 ? linked.putIfAbsent(inode, name) : null;
            if (first != null) {
                entry = new TarArchiveEntry(name, TarConstants.LF_LINK);
                entry.setLinkName(first);
            } else {
                entry = new TarArchiveEntry(name);
                entry.setSize((Long) attributes.get("size"));
            }
        }
        entry.setMode(mode & 07777);
        entry.setUserId(((Number) attributes.get("uid")).longValue());
        entry.setGroupId(((Number) attributes.get("gid")).longValue());
        entry.setModTime((FileTime) attributes.get("lastModifiedTime"));
        tar.putArchiveEntry(entry);
        if (entry.isFile() && !entry.isLink() && entry.getSize() > 0) {
            try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                long copied = in.transferTo(tar);
                if (copied != entry.getSize()) {
                    throw new IOException(path + " changed size while it was copied");
                }
            }
        }
        tar.closeArchiveEntry();
        if (directory && !symlink) {
            Set<String> names = new TreeSet<>(tree.mountsBelow(containerPath));
            try (Stream<Path> children = Files.list(path)) {
                children.forEach(child -> names.add(child.getFileName().toString()));
            }
            String prefix = containerPath.equals("/") ? "/" : containerPath + "/";
            for (String childName : names) {
                add(tar, tree, prefix + childName, dotRoot && name.equals(".") ? childName : name + "/" + childName, linked,
                        false, false);
            }
        }
    }
}
