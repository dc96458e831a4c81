package dev.berth.graph.build;

import dev.berth.graph.content.Digest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * What a COPY or ADD puts into the image: its placements as one tar (each source's tree named by
 * its target), and the digest of that content for the build cache. The digest covers names,
 * kinds, modes, link targets and bytes but not modification times, which a fresh checkout of the
 * same files changes, so that an unchanged context hits the cache as with dockerd.
 */
final class CopyArchive {
    /** The owner of entries. */
    record Owner(int uid, int gid) {
        static final Owner ROOT = new Owner(0, 0);
    }

    private CopyArchive() {
    }

    static String digest(List<CopySources.Placement> placements) throws IOException {
        MessageDigest sha = Digest.newSha256();
        for (CopySources.Placement placement : placements) {
            for (Path path : tree(placement.source())) {
                field(sha, name(placement, path));
                if (Files.isSymbolicLink(path)) {
                    field(sha, "l " + Files.readSymbolicLink(path));
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    field(sha, "d " + mode(path));
                } else {
                    field(sha, "f " + mode(path) + " " + Files.size(path));
                    try (InputStream in = Files.newInputStream(path)) {
                        byte[] buffer = new byte[1 << 16];
                        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                            sha.update(buffer, 0, read);
                        }
                    }
                }
            }
        }
        return Digest.of(sha).toString();
    }

    /** A length before each field, so that no two different lists of fields digest alike. */
    private static void field(MessageDigest sha, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        sha.update(bytes);
    }

    /**
     * Writes the tar. Entries belong to chown when one was asked for; else to root, except what
     * ADD extracted from an archive, which keeps the archive's owners.
     */
    static void write(List<CopySources.Placement> placements, Path tar, Owner chown) throws IOException {
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tar));
                TarArchiveOutputStream archive = new TarArchiveOutputStream(file)) {
            archive.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            archive.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (CopySources.Placement placement : placements) {
                Owner owner = chown != null ? chown : placement.keepOwner() ? null : Owner.ROOT;
                for (Path path : tree(placement.source())) {
                    String name = name(placement, path).substring(1);
                    if (!name.isEmpty()) {
                        writeEntry(archive, path, name, owner);
                    }
                }
            }
        }
    }

    /** One entry; a null owner keeps the one the file has on disk. */
    private static void writeEntry(TarArchiveOutputStream archive, Path path, String name, Owner owner) throws IOException {
        TarArchiveEntry entry;
        if (Files.isSymbolicLink(path)) {
            entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(path).toString());
        } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            entry = new TarArchiveEntry(name + "/");
        } else {
            entry = new TarArchiveEntry(name);
            entry.setSize(Files.size(path));
        }
        entry.setMode(mode(path));
        if (owner != null) {
            entry.setIds(owner.uid(), owner.gid());
        } else {
            entry.setIds((Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS),
                    (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS));
        }
        entry.setModTime(Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS));
        archive.putArchiveEntry(entry);
        if (entry.isFile()) {
            Files.copy(path, archive);
        }
        archive.closeArchiveEntry();
    }

    /** The source and, for a directory, everything below it, in a stable order; links are not followed. */
    private static List<Path> tree(Path source) throws IOException {
        try (Stream<Path> walk = Files.walk(source)) {
            return walk.sorted().toList();
        }
    }

    /** The absolute name path gets in the image. */
    private static String name(CopySources.Placement placement, Path path) {
        String relative = placement.source().relativize(path).toString();
        String target = placement.target();
        return relative.isEmpty() ? target : (target.endsWith("/") ? target : target + "/") + relative;
    }

    private static int mode(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            return 0777;
        }
        int mode = 0;
        for (PosixFilePermission permission : Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)) {
            mode |= 1 << (8 - permission.ordinal());
        }
        return mode;
    }
}
