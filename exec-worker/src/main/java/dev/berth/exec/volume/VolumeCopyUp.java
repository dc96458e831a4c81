package dev.berth.exec.volume;

import dev.berth.host.FileOps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Fills an empty volume from the image's content at the volume's destination, as Docker does on
 * a volume's first use: files, directories, symlinks (as links, never followed), FIFOs and
 * device nodes, each with its mode (set-id and sticky bits too), owner and modification time;
 * the volume's own directory takes the mode and owner of the image's directory. The source is
 * already resolved inside the container's root, so a link in the image never leads to the host.
 */
public final class VolumeCopyUp {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;

    private final FileOps files;

    public VolumeCopyUp(FileOps files) {
        this.files = files;
    }

    /** Whether the volume's directory holds nothing yet. */
    public static boolean isEmpty(Path volume) throws IOException {
        try (Stream<Path> entries = Files.list(volume)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Copies the tree at source into the empty directory target; a source that is no directory copies nothing. */
    public void copy(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        copyTree(source, target);
        copyMetadata(source, target);
    }

    private void copyTree(Path sourceDir, Path targetDir) throws IOException {
        try (Stream<Path> entries = Files.list(sourceDir)) {
            for (Path source : entries.toList()) {
                Path target = targetDir.resolve(source.getFileName().toString());
                Map<String, Object> attributes = Files.readAttributes(source, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) attributes.get("mode");
                int type = mode & S_IFMT;
                if (Files.isSymbolicLink(source)) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(source));
                } else if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(target);
                    copyTree(source, target);
                } else if (Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                } else if (type == S_IFIFO) {
                    files.mkfifo(target, mode & 07777);
                } else if (type == S_IFCHR || type == S_IFBLK) {
                    long rdev = ((Number) Files.getAttribute(source, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).longValue();
                    files.mknod(target, mode, major(rdev), minor(rdev));
                } else {
                    continue; // a socket: nothing to copy, as in Docker
                }
                copyMetadata(source, target);
            }
        }
    }

    private void copyMetadata(Path source, Path target) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(source, "unix:mode,uid,gid,lastModifiedTime",
                LinkOption.NOFOLLOW_LINKS);
        files.lchown(target, (Integer) attributes.get("uid"), (Integer) attributes.get("gid"));
        if (!Files.isSymbolicLink(target)) {
            files.chmod(target, (Integer) attributes.get("mode") & 07777);
        }
        FileTime modified = (FileTime) attributes.get("lastModifiedTime");
        java.time.Instant instant = modified.toInstant();
        files.setTimes(target, instant.getEpochSecond(), instant.getNano());
    }

    private static int major(long rdev) {
        return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfff));
    }

    private static int minor(long rdev) {
        return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xff));
    }
}
