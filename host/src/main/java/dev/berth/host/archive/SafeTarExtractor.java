package dev.berth.host.archive;

import dev.berth.host.FileTrees;
import dev.berth.host.FileOps;
import dev.berth.host.NativeCallException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts a tar below a directory without ever leaving it: the one safe-extraction code path
 * of Berth, for image layers, `docker cp` and volumes alike. Files keep their modes (set-id bits
 * included), owners (or take one owner, for `docker cp -a`), times and PAX xattrs.
 *
 * <p>Hostile archives are refused with {@link UnsafeArchiveException}: names that climb out of
 * the root, any entry (or hard-link target) whose path passes through a symlink, hard links to
 * what is not below the root, and archives over their byte or entry budget. Symlinks are
 * created as they are but never followed while extracting. A caller with entries of its own
 * (an image layer's whiteouts) handles them in a {@link SpecialEntries} hook. On a refusal the
 * caller discards or keeps what was written, as its purpose asks.
 */
public final class SafeTarExtractor {
    private static final Logger LOG = LoggerFactory.getLogger(SafeTarExtractor.class);
    private static final String XATTR_PAX = "SCHILY.xattr.";
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /** What an extraction produced. contentBytes counts the bytes of regular files. */
    public record Result(long entries, long contentBytes, long tarBytes) {
    }

    /**
     * How far one archive may go, and what it is called in messages ("layer", "archive").
     *
     * @param owner when set, every entry is owned by this uid and gid rather than the tar's
     * @param noOverwriteDirNonDir refuse to replace a directory by a non-directory or the reverse
     */
    public record Options(String noun, long maxBytes, long maxEntries, int[] owner, boolean noOverwriteDirNonDir) {
        public static Options of(String noun, long maxBytes, long maxEntries) {
            return new Options(noun, maxBytes, maxEntries, null, false);
        }
    }

    /** Entries a caller treats its own way (whiteouts); what the extractor lets it do. */
    public interface SpecialEntries {
        /** Handles the entry and answers true, or answers false to extract it normally. */
        boolean handle(TarArchiveEntry entry, String name, String parent, String base, Context context) throws IOException;
    }

    /** The extractor's safe operations, for a {@link SpecialEntries} hook. */
    public interface Context {
        /** The parent directories of an entry, created when missing; refused through symlinks. */
        Path ensureDirectory(String relative, String entryName) throws IOException;

        Path resolve(String relative) throws IOException;

        /** Clears the way for a new entry. */
        void removeExisting(Path path, String relative) throws IOException;
    }

    private static final SpecialEntries NONE = (entry, name, parent, base, context) -> false;

    private final FileOps fileOps;
    private final Options options;
    private final SpecialEntries special;

    public SafeTarExtractor(FileOps fileOps, Options options) {
        this(fileOps, options, NONE);
    }

    public SafeTarExtractor(FileOps fileOps, Options options, SpecialEntries special) {
        this.fileOps = fileOps;
        this.options = options;
        this.special = special;
    }

    /** Extracts an uncompressed tar below root, an existing directory. */
    public Result extract(InputStream tar, Path root) throws IOException {
        return new Run(root).apply(tar);
    }

    /**
     * The entry name made relative to the root with "." and ".." resolved, or null when it
     * climbs out. Absolute names count from the root, as Docker treats them. "" is the root.
     */
    public static String clean(String name) {
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

    /** Counts the tar's bytes, for the budget. */
    private static final class CountingInput extends FilterInputStream {
        private long count;

        CountingInput(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int n = in.read(bytes, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(n);
            count += Math.max(0, skipped);
            return skipped;
        }
    }

    private final class Run implements Context {
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
            CountingInput counted = new CountingInput(raw);
            TarArchiveInputStream tar = new TarArchiveInputStream(counted);
            TarArchiveEntry entry;
            while ((entry = nextEntry(tar)) != null) {
                if (++entries > options.maxEntries()) {
                    throw refused("refusing a " + options.noun() + " of more than " + options.maxEntries() + " entries");
                }
                if (counted.count() + Math.max(0, entry.getSize()) > options.maxBytes()) {
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

        private TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws UnsafeArchiveException {
            try {
                return tar.getNextEntry();
            } catch (IOException e) {
                throw invalid("invalid tar header: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
        }

        private UnsafeArchiveException tooLarge() {
            return refused("refusing a " + options.noun() + " larger than " + options.maxBytes() + " bytes when unpacked");
        }

        private void applyEntry(TarArchiveInputStream tar, TarArchiveEntry entry, CountingInput counted)
                throws IOException {
            String name = clean(entry.getName());
            if (name == null) {
                throw invalid("path traversal: \"" + entry.getName() + "\" is outside of the " + options.noun());
            }
            String base = name.contains("/") ? name.substring(name.lastIndexOf('/') + 1) : name;
            String parent = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : "";
            if (special.handle(entry, name, parent, base, this)) {
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
                    if (existing != null && options.noOverwriteDirNonDir()) {
                        throw invalid("cannot overwrite non-directory \"" + name + "\" with directory");
                    }
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
                    throw invalid("invalid symlink target in \"" + entry.getName() + "\"");
                }
                chown(path, entry);
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
            throw invalid("unsupported tar entry type '" + (char) entry.getLinkFlag() + "' for \"" + entry.getName() + "\"");
        }

        private void writeFile(TarArchiveInputStream tar, TarArchiveEntry entry, Path path,
                CountingInput counted) throws IOException {
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                int n;
                while ((n = read(tar)) > 0) {
                    out.write(buffer, 0, n);
                    contentBytes += n;
                    if (counted.count() > options.maxBytes()) {
                        throw tooLarge();
                    }
                }
            }
        }

        private int read(TarArchiveInputStream tar) throws UnsafeArchiveException {
            try {
                return tar.read(buffer);
            } catch (IOException e) {
                throw invalid(e.getMessage() != null ? e.getMessage() : "unexpected EOF");
            }
        }

        private Path hardLinkTarget(TarArchiveEntry entry) throws IOException {
            String target = clean(entry.getLinkName());
            if (target == null || target.isEmpty()) {
                throw invalid("hard link \"" + entry.getName() + "\" points outside the " + options.noun() + ": \""
                        + entry.getLinkName() + "\"");
            }
            String parent = target.contains("/") ? target.substring(0, target.lastIndexOf('/')) : "";
            checkNoSymlinks(parent, entry.getName());
            Path path = resolve(target);
            BasicFileAttributes attributes = attributes(path);
            if (attributes == null) {
                throw invalid("hard link \"" + entry.getName() + "\" points to \"" + entry.getLinkName()
                        + "\", which is not in the " + options.noun());
            }
            if (attributes.isDirectory()) {
                throw invalid("hard link \"" + entry.getName() + "\" points to a directory");
            }
            return path;
        }

        @Override
        public Path ensureDirectory(String relative, String entryName) throws IOException {
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
                    throw invalid("\"" + entryName + "\" passes through the symlink \"" + now + "\"");
                } else if (!attributes.isDirectory()) {
                    throw invalid("\"" + entryName + "\" is below \"" + now + "\", which is not a directory");
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
                    throw invalid("hard link \"" + entryName + "\" passes through the symlink \"" + current + "\"");
                }
            }
        }

        @Override
        public Path resolve(String relative) throws UnsafeArchiveException {
            try {
                return relative.isEmpty() ? root : root.resolve(relative);
            } catch (InvalidPathException e) {
                throw invalid("invalid entry name \"" + relative + "\"");
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
        @Override
        public void removeExisting(Path path, String relative) throws IOException {
            BasicFileAttributes attributes = attributes(path);
            if (attributes == null) {
                return;
            }
            if (options.noOverwriteDirNonDir() && attributes.isDirectory()) {
                throw invalid("cannot overwrite directory \"" + relative + "\" with non-directory");
            }
            if (attributes.isDirectory()) {
                FileTrees.deleteTree(path);
                directories.removeIf(d -> d.equals(relative) || d.startsWith(relative + "/"));
            } else {
                Files.delete(path);
            }
        }

        private void applyMetadata(Path path, TarArchiveEntry entry) throws IOException {
            chown(path, entry);
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

        private void chown(Path path, TarArchiveEntry entry) throws IOException {
            int[] owner = options.owner();
            fileOps.lchown(path, owner != null ? owner[0] : (int) entry.getLongUserId(),
                    owner != null ? owner[1] : (int) entry.getLongGroupId());
        }

        private UnsafeArchiveException invalid(String why) {
            return refused("invalid " + options.noun() + ": " + why);
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

    private static UnsafeArchiveException refused(String message) {
        return new UnsafeArchiveException(message);
    }
}
