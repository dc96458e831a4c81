package dev.berth.graph.commit;

import dev.berth.graph.snapshot.FileChange;
import dev.berth.host.FileOps;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a container's changes as a layer tar in the archive form: a whiteout becomes an empty
 * {@code .wh.<name>} file beside where the path was, an opaque directory gets a
 * {@code .wh..wh..opq} file inside it. Owners, all twelve mode bits, modification times, symlink
 * targets, device numbers and hard links (files of the layer sharing an inode) are kept, and the
 * {@code user.*} extended attributes of files and directories, as PAX {@code SCHILY.xattr.} records.
 */
public final class LayerTarWriter {
    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE_MARKER = ".wh..wh..opq";
    private static final int S_IFMT = 0170000;

    private final TarArchiveOutputStream tar;
    private final Map<Object, String> firstNameOfInode = new HashMap<>();

    /** A tar written into out, which {@link #finish} leaves open. */
    public LayerTarWriter(OutputStream out) {
        tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /** Writes entries (parents before children) as a tar into out, and finishes the tar without closing out. */
    public static void write(List<FileChange> entries, OutputStream out) throws IOException {
        LayerTarWriter writer = new LayerTarWriter(out);
        for (FileChange entry : entries) {
            writer.add(entry);
        }
        writer.finish();
    }

    /** Adds one entry; its parent directory must have come first. */
    public void add(FileChange entry) throws IOException {
        String name = entry.path().substring(1);
        switch (entry.form()) {
            case WHITEOUT -> writeMarker(tar, whiteoutName(name), entry.attributes());
            case OPAQUE_DIRECTORY -> {
                writeFile(tar, name, entry, firstNameOfInode);
                writeMarker(tar, name + "/" + OPAQUE_MARKER, entry.attributes());
            }
            case PRESENT -> writeFile(tar, name, entry, firstNameOfInode);
        }
    }

    /** Writes the tar's end; out stays open. */
    public void finish() throws IOException {
        tar.finish();
        tar.flush();
    }

    static String whiteoutName(String name) {
        int slash = name.lastIndexOf('/');
        return name.substring(0, slash + 1) + WHITEOUT_PREFIX + name.substring(slash + 1);
    }

    private static void writeMarker(TarArchiveOutputStream tar, String name, Map<String, Object> attributes)
            throws IOException {
        TarArchiveEntry marker = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        marker.setMode(0100644);
        marker.setSize(0);
        marker.setModTime((FileTime) attributes.get("lastModifiedTime"));
        tar.putArchiveEntry(marker);
        tar.closeArchiveEntry();
    }

    private static void writeFile(TarArchiveOutputStream tar, String name, FileChange entry,
            Map<Object, String> firstNameOfInode) throws IOException {
        Map<String, Object> attributes = entry.attributes();
        int mode = (int) attributes.get("mode");
        int type = mode & S_IFMT;
        Path file = entry.file();
        TarArchiveEntry header;
        boolean content = false;
        switch (type) {
            case 0040000 -> header = new TarArchiveEntry(name + "/", TarConstants.LF_DIR, true);
            case 0120000 -> {
                header = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
                header.setLinkName(Files.readSymbolicLink(file).toString());
            }
            case 0100000 -> {
                Object inode = attributes.get("fileKey");
                String first = (int) attributes.get("nlink") > 1 ? firstNameOfInode.putIfAbsent(inode, name) : null;
                if (first != null) {
                    header = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
                    header.setLinkName(first);
                } else {
                    header = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
                    header.setSize((long) attributes.get("size"));
                    content = true;
                }
            }
            case FileOps.S_IFCHR, FileOps.S_IFBLK -> {
                header = new TarArchiveEntry(name, type == FileOps.S_IFCHR ? TarConstants.LF_CHR : TarConstants.LF_BLK, true);
                long rdev = ((Number) attributes.get("rdev")).longValue();
                header.setDevMajor((int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL)));
                header.setDevMinor((int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL)));
            }
            case FileOps.S_IFIFO -> header = new TarArchiveEntry(name, TarConstants.LF_FIFO, true);
            default -> {
                return; // sockets are not kept in layers, as with docker
            }
        }
        header.setMode(mode);
        header.setUserId(((Number) attributes.get("uid")).longValue());
        header.setGroupId(((Number) attributes.get("gid")).longValue());
        header.setModTime((FileTime) attributes.get("lastModifiedTime"));
        if (type == 0040000 || type == 0100000) {
            addUserXattrs(header, file);
        }
        tar.putArchiveEntry(header);
        if (content) {
            Files.copy(file, tar);
        }
        tar.closeArchiveEntry();
    }

    /** user.* attributes whose values are text (the PAX record carries them as UTF-8). */
    private static void addUserXattrs(TarArchiveEntry header, Path file) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return;
        }
        List<String> names;
        try {
            names = view.list();
        } catch (IOException | UnsupportedOperationException e) {
            return; // the file system keeps no user attributes
        }
        for (String attribute : names) {
            ByteBuffer value = ByteBuffer.allocate(view.size(attribute));
            view.read(attribute, value);
            value.flip();
            try {
                String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(value).toString();
                header.addPaxHeader("SCHILY.xattr.user." + attribute, text);
            } catch (CharacterCodingException e) {
                throw new IOException("extended attribute user." + attribute + " of " + header.getName()
                        + " is not text, which a layer cannot carry yet");
            }
        }
    }
}
