package dev.berth.graph.unpack;

import dev.berth.bus.EngineException;
import dev.berth.host.FileOps;
import dev.berth.host.NativeCallException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one layer tar to an empty directory in the form overlayfs reads: whiteouts become 0/0
 * character devices, opaque markers the {@code trusted.overlay.opaque} xattr. Files keep their
 * modes (set-id bits included), owners, times and PAX xattrs.
 *
 * <p>Hostile archives are refused with INVALID_ARGUMENT: names that climb out of the layer, any
 * entry (or hard-link target) whose path passes through a symlink, hard links to what is not in
 * the layer, and layers over their byte or entry budget. Symlinks are created as they are but
 * never followed while extracting. On a refusal the caller discards the directory.
 */
public final class LayerUnpacker {
    private static final Logger LOG = LoggerFactory.getLogger(LayerUnpacker.class);
    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final String XATTR_PAX = "SCHILY.xattr.";
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /** What an unpack produced. size counts the bytes of regular files, as du would roughly. */
    public record Result(long entries, long contentBytes, long tarBytes) {
    }

    private final FileOps fileOps;
    private final UnpackLimits limits;

    public LayerUnpacker(FileOps fileOps, UnpackLimits limits) {
        this.fileOps = fileOps;
        this.limits = limits;
    }

    /** Unpacks an uncompressed layer tar into root, an existing empty directory. */
    public Result unpack(InputStream tar, Path root) throws IOException {
        return new Run(root).apply(tar);
    }

    /**
     * The entry name made relative to the layer root with "." and ".." resolved, or null when it
     * climbs out. Absolute names count from the layer root, as Docker treats them. "" is the root.
     */
    static String clean(String name) {
        boolean rooted = name.startsWith("/");
        Deque<String> parts = new ArrayDeque<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    if (rooted) {
                        continue; // as Go's filepath.Clean: "/.." is "/"
                    }
                    return null;
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    private final class Run {
        private final Path root;
        /** Relative paths known to be real directories created or checked by this run. */
        private final Set<String> directories = new HashSet<>();
        private final List<Object[]> directoryTimes = new ArrayList<>();
        private long entries;
        private long contentBytes;
        private final byte[] buffer = new byte[1 << 16];

        Run(Path root) {
            this.root = root;
            directories.add("");
        }

        Result apply(InputStream raw) throws IOException {
            Decompression.CountingInput counted = new Decompression.CountingInput(raw);
            TarArchiveInputStream tar = new TarArchiveInputStream(counted);
            TarArchiveEntry entry;
            while ((entry = nextEntry(tar)) != null) {
                if (++entries > limits.maxEntries()) {
                    throw EngineException.invalid("refusing a layer of more than " + limits.maxEntries() + " entries");
                }
                if (counted.count() + Math.max(0, entry.getSize()) > limits.maxBytes()) {
                    throw tooLarge();
                }
                applyEntry(tar, entry, counted);
            }
            for (int i = directoryTimes.size() - 1; i >= 0; i--) {
                Object[] pending = directoryTimes.get(i);
                setTimes((Path) pending[0], (TarArchiveEntry) pending[1]);
            }
            return new Result(entries, contentBytes, counted.count());
        }

        private TarArchiveEntry nextEntry(TarArchiveInputStream tar) {
            try {
                return tar.getNextEntry();
            } catch (IOException e) {
                throw EngineException.invalid("invalid layer: invalid tar header: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw EngineException.invalid("invalid layer: " + e.getMessage());
            }
        }

        private EngineException tooLarge() {
            return EngineException.invalid("refusing a layer larger than " + limits.maxBytes() + " bytes when unpacked");
        }

        private void applyEntry(TarArchiveInputStream tar, TarArchiveEntry entry, Decompression.CountingInput counted)
                throws IOException {
            String name = clean(entry.getName());
            if (name == null) {
                throw EngineException.invalid("invalid layer: path traversal: \"" + entry.getName() + "\" is outside of the layer");
            }
            String base = name.contains("/") ? name.substring(name.lastIndexOf('/') + 1) : name;
            String parent = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : "";
            if (base.equals(OPAQUE)) {
                Path directory = ensureDirectory(parent, entry.getName());
                fileOps.lsetxattr(directory, OPAQUE_XATTR, "y".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
                return; // aufs metadata (.wh..wh.plnk and the like): meaningless to overlay
            }
            if (base.startsWith(WHITEOUT_PREFIX)) {
                String hidden = base.substring(WHITEOUT_PREFIX.length());
                if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
                    throw EngineException.invalid("invalid layer: invalid whiteout \"" + entry.getName() + "\"");
                }
                ensureDirectory(parent, entry.getName());
                Path target = resolve(parent.isEmpty() ? hidden : parent + "/" + hidden);
                removeExisting(target, parent.isEmpty() ? hidden : parent + "/" + hidden);
                fileOps.mknod(target, FileOps.S_IFCHR, 0, 0);
                fileOps.lchown(target, (int) entry.getLongUserId(), (int) entry.getLongGroupId());
                return;
            }
            if (name.isEmpty()) {
                if (entry.isDirectory()) {
                    applyMetadata(root, entry);
                    directoryTimes.add(new Object[] {root, entry});
                }
                return;
            }
            ensureDirectory(parent, entry.getName());
            Path path = resolve(name);
            if (entry.isDirectory()) {
                BasicFileAttributes existing = attributes(path);
                if (existing == null || !existing.isDirectory()) {
                    removeExisting(path, name);
                    Files.createDirectory(path);
                }
                directories.add(name);
                applyMetadata(path, entry);
                directoryTimes.add(new Object[] {path, entry});
                return;
            }
            removeExisting(path, name);
            if (entry.isSymbolicLink()) {
                try {
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } catch (InvalidPathException e) {
                    throw EngineException.invalid("invalid layer: invalid symlink target in \"" + entry.getName() + "\"");
                }
                fileOps.lchown(path, (int) entry.getLongUserId(), (int) entry.getLongGroupId());
                setTimes(path, entry);
                return;
            }
            if (entry.isLink()) {
                Files.createLink(path, hardLinkTarget(entry));
                return;
            }
            if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                int type = entry.isCharacterDevice() ? FileOps.S_IFCHR : entry.isBlockDevice() ? FileOps.S_IFBLK : FileOps.S_IFIFO;
                fileOps.mknod(path, type | (entry.getMode() & 0777), entry.getDevMajor(), entry.getDevMinor());
                applyMetadata(path, entry);
                setTimes(path, entry);
                return;
            }
            if (entry.isFile()) {
                writeFile(tar, entry, path, counted);
                applyMetadata(path, entry);
                setTimes(path, entry);
                return;
            }
            throw EngineException.invalid("invalid layer: unsupported tar entry type '" + (char) entry.getLinkFlag()
                    + "' for \"" + entry.getName() + "\"");
        }

        private void writeFile(TarArchiveInputStream tar, TarArchiveEntry entry, Path path,
                Decompression.CountingInput counted) throws IOException {
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                int n;
                while ((n = read(tar)) > 0) {
                    out.write(buffer, 0, n);
                    contentBytes += n;
                    if (counted.count() > limits.maxBytes()) {
                        throw tooLarge();
                    }
                }
            }
        }

        private int read(TarArchiveInputStream tar) {
            try {
                return tar.read(buffer);
            } catch (IOException e) {
                throw EngineException.invalid("invalid layer: " + (e.getMessage() != null ? e.getMessage() : "unexpected EOF"));
            }
        }

        private Path hardLinkTarget(TarArchiveEntry entry) throws IOException {
            String target = clean(entry.getLinkName());
            if (target == null || target.isEmpty()) {
                throw EngineException.invalid("invalid layer: hard link \"" + entry.getName() + "\" points outside the layer: \""
                        + entry.getLinkName() + "\"");
            }
            String parent = target.contains("/") ? target.substring(0, target.lastIndexOf('/')) : "";
            checkNoSymlinks(parent, entry.getName());
            Path path = resolve(target);
            BasicFileAttributes attributes = attributes(path);
            if (attributes == null) {
                throw EngineException.invalid("invalid layer: hard link \"" + entry.getName() + "\" points to \""
                        + entry.getLinkName() + "\", which is not in the layer");
            }
            if (attributes.isDirectory()) {
                throw EngineException.invalid("invalid layer: hard link \"" + entry.getName() + "\" points to a directory");
            }
            return path;
        }

        /** The parent directories of an entry, created when missing; refused through symlinks. */
        private Path ensureDirectory(String relative, String entryName) throws IOException {
            if (directories.contains(relative)) {
                return resolve(relative);
            }
            String[] parts = relative.split("/");
            StringBuilder current = new StringBuilder();
            for (String part : parts) {
                if (current.length() > 0) {
                    current.append('/');
                }
                current.append(part);
                String now = current.toString();
                if (directories.contains(now)) {
                    continue;
                }
                Path path = resolve(now);
                BasicFileAttributes attributes = attributes(path);
                if (attributes == null) {
                    Files.createDirectory(path);
                    fileOps.chmod(path, 0755);
                } else if (attributes.isSymbolicLink()) {
                    throw EngineException.invalid("invalid layer: \"" + entryName + "\" passes through the symlink \"" + now + "\"");
                } else if (!attributes.isDirectory()) {
                    throw EngineException.invalid("invalid layer: \"" + entryName + "\" is below \"" + now + "\", which is not a directory");
                }
                directories.add(now);
            }
            return resolve(relative);
        }

        /** Like ensureDirectory, for hard-link targets: nothing is created. */
        private void checkNoSymlinks(String relative, String entryName) throws IOException {
            if (relative.isEmpty() || directories.contains(relative)) {
                return;
            }
            StringBuilder current = new StringBuilder();
            for (String part : relative.split("/")) {
                if (current.length() > 0) {
                    current.append('/');
                }
                current.append(part);
                BasicFileAttributes attributes = attributes(resolve(current.toString()));
                if (attributes != null && attributes.isSymbolicLink()) {
                    throw EngineException.invalid("invalid layer: hard link \"" + entryName + "\" passes through the symlink \""
                            + current + "\"");
                }
            }
        }

        private Path resolve(String relative) {
            try {
                return relative.isEmpty() ? root : root.resolve(relative);
            } catch (InvalidPathException e) {
                throw EngineException.invalid("invalid layer: invalid entry name \"" + relative + "\"");
            }
        }

        private BasicFileAttributes attributes(Path path) throws IOException {
            try {
                return Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        /** Clears the way for a new entry; a directory is replaced only by a non-directory. */
        private void removeExisting(Path path, String relative) throws IOException {
            BasicFileAttributes attributes = attributes(path);
            if (attributes == null) {
                return;
            }
            if (attributes.isDirectory()) {
                deleteTree(path);
                directories.removeIf(d -> d.equals(relative) || d.startsWith(relative + "/"));
            } else {
                Files.delete(path);
            }
        }

        private void applyMetadata(Path path, TarArchiveEntry entry) throws IOException {
            fileOps.lchown(path, (int) entry.getLongUserId(), (int) entry.getLongGroupId());
            fileOps.chmod(path, entry.getMode() & 07777);
            for (Map.Entry<String, String> header : entry.getExtraPaxHeaders().entrySet()) {
                if (header.getKey().startsWith(XATTR_PAX)) {
                    String xattr = header.getKey().substring(XATTR_PAX.length());
                    if (xattr.startsWith("trusted.overlay.")) {
                        continue; // only Berth decides what overlay sees
                    }
                    setXattr(path, xattr, header.getValue().getBytes(StandardCharsets.UTF_8));
                }
            }
        }

        private void setXattr(Path path, String name, byte[] value) throws IOException {
            try {
                fileOps.lsetxattr(path, name, value);
            } catch (NativeCallException e) {
                // As Docker does: an xattr the file system will not take is a warning, not a failure.
                LOG.warn("could not set xattr {} on {}: {}", name, path, e.getMessage());
            }
        }

        private void setTimes(Path path, TarArchiveEntry entry) throws IOException {
            java.time.Instant modified = entry.getLastModifiedTime().toInstant();
            fileOps.setTimes(path, modified.getEpochSecond(), modified.getNano());
        }
    }

    /** Deletes a tree without following symlinks. */
    public static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(path);
                } catch (DirectoryNotEmptyException e) {
                    deleteTree(path);
                }
            }
        }
    }
}
