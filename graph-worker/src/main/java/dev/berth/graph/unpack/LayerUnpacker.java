package dev.berth.graph.unpack;

import dev.berth.bus.EngineException;
import dev.berth.host.FileOps;
import dev.berth.host.archive.SafeTarExtractor;
import dev.berth.host.archive.UnsafeArchiveException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import dev.berth.host.FileTrees;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Applies one layer tar to a directory. For overlay the directory is empty and the layer is kept
 * in the form overlayfs reads: whiteouts become 0/0 character devices, opaque markers the
 * {@code trusted.overlay.opaque} xattr. For vfs the directory holds a copy of the parent's whole
 * tree, and whiteouts are applied: a {@code .wh.} file deletes what it names, an opaque marker
 * deletes whatever the parent had in its directory (what this layer writes there stays).
 * Everything else is the shared safe extraction ({@link SafeTarExtractor}): its refusals of
 * hostile layers become INVALID_ARGUMENT. On a refusal the caller discards the directory.
 */
public final class LayerUnpacker {
    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";

    /** What an unpack produced. size counts the bytes of regular files, as du would roughly. */
    public record Result(long entries, long contentBytes, long tarBytes) {
    }

    private final FileOps fileOps;
    private final UnpackLimits limits;
    private final boolean applyWhiteouts;
    private final SafeTarExtractor extractor;

    /** An unpacker into overlay's form. */
    public LayerUnpacker(FileOps fileOps, UnpackLimits limits) {
        this(fileOps, limits, false);
    }

    /** applyWhiteouts: vfs's form (deletions applied to the parent's copy) rather than overlay's. */
    public LayerUnpacker(FileOps fileOps, UnpackLimits limits, boolean applyWhiteouts) {
        this.fileOps = fileOps;
        this.limits = limits;
        this.applyWhiteouts = applyWhiteouts;
        this.extractor = new SafeTarExtractor(fileOps, SafeTarExtractor.Options.of("layer", limits.maxBytes(),
                limits.maxEntries()), this::whiteout);
    }

    /** Unpacks an uncompressed layer tar into root: an existing empty directory, or under vfs the parent's copy. */
    public Result unpack(InputStream tar, Path root) throws IOException {
        try {
            SafeTarExtractor.Result result;
            if (applyWhiteouts) {
                WhiteoutApplier applier = new WhiteoutApplier(root);
                result = new SafeTarExtractor(fileOps, SafeTarExtractor.Options.of("layer", limits.maxBytes(),
                        limits.maxEntries()), applier::handle).extract(tar, root);
                applier.finish();
            } else {
                result = extractor.extract(tar, root);
            }
            return new Result(result.entries(), result.contentBytes(), result.tarBytes());
        } catch (UnsafeArchiveException e) {
            throw EngineException.invalid(e.getMessage());
        }
    }

    /**
     * One vfs unpack's whiteouts. An opaque directory is emptied of the parent's entries only once
     * the whole layer is read, since a tar may list the marker after entries of the same
     * directory, which must stay; so every name the layer writes is noted.
     */
    private static final class WhiteoutApplier {
        private final Path root;
        private final Set<String> written = new HashSet<>();
        private final Set<String> opaque = new TreeSet<>();

        WhiteoutApplier(Path root) {
            this.root = root;
        }

        boolean handle(TarArchiveEntry entry, String name, String parent, String base, SafeTarExtractor.Context context)
                throws IOException {
            if (base.equals(OPAQUE)) {
                context.ensureDirectory(parent, entry.getName());
                opaque.add(parent);
                return true;
            }
            if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
                return true; // aufs metadata (.wh..wh.plnk and the like)
            }
            if (!base.startsWith(WHITEOUT_PREFIX)) {
                for (String at = name; !at.isEmpty(); at = at.contains("/") ? at.substring(0, at.lastIndexOf('/')) : "") {
                    written.add(at);
                }
                return false;
            }
            String hidden = base.substring(WHITEOUT_PREFIX.length());
            if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
                throw new UnsafeArchiveException("invalid layer: invalid whiteout \"" + entry.getName() + "\"");
            }
            if (!isPlainDirectory(parent, entry.getName())) {
                return true; // nothing there to delete
            }
            String relative = parent.isEmpty() ? hidden : parent + "/" + hidden;
            context.removeExisting(context.resolve(relative), relative);
            return true;
        }

        /**
         * Whether parent exists as a directory reached without any symlink; a symlink on the way
         * would lead the deletion out of the layer, and is refused.
         */
        private boolean isPlainDirectory(String parent, String entryName) throws IOException {
            Path at = root;
            if (parent.isEmpty()) {
                return true;
            }
            for (String part : parent.split("/")) {
                at = at.resolve(part);
                if (Files.isSymbolicLink(at)) {
                    throw new UnsafeArchiveException("invalid layer: \"" + entryName + "\" passes through the symlink \""
                            + root.relativize(at) + "\"");
                }
                if (!Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
                    return false;
                }
            }
            return true;
        }

        /** Empties each opaque directory of what this layer did not write. */
        void finish() throws IOException {
            for (String directory : opaque) {
                prune(directory);
            }
        }

        private void prune(String relative) throws IOException {
            Path directory = relative.isEmpty() ? root : root.resolve(relative);
            if (Files.isSymbolicLink(directory) || !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            List<Path> children;
            try (Stream<Path> list = Files.list(directory)) {
                children = list.toList();
            }
            for (Path child : children) {
                String childRelative = relative.isEmpty() ? child.getFileName().toString()
                        : relative + "/" + child.getFileName();
                if (!written.contains(childRelative)) {
                    FileTrees.deleteTree(child);
                } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    prune(childRelative);
                }
            }
        }
    }

    static String clean(String name) {
        return SafeTarExtractor.clean(name);
    }

    private boolean whiteout(TarArchiveEntry entry, String name, String parent, String base, SafeTarExtractor.Context context)
            throws IOException {
        if (base.equals(OPAQUE)) {
            Path directory = context.ensureDirectory(parent, entry.getName());
            fileOps.lsetxattr(directory, OPAQUE_XATTR, "y".getBytes(StandardCharsets.US_ASCII));
            return true;
        }
        if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
            return true; // aufs metadata (.wh..wh.plnk and the like): meaningless to overlay
        }
        if (!base.startsWith(WHITEOUT_PREFIX)) {
            return false;
        }
        String hidden = base.substring(WHITEOUT_PREFIX.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw new UnsafeArchiveException("invalid layer: invalid whiteout \"" + entry.getName() + "\"");
        }
        context.ensureDirectory(parent, entry.getName());
        String relative = parent.isEmpty() ? hidden : parent + "/" + hidden;
        Path target = context.resolve(relative);
        context.removeExisting(target, relative);
        fileOps.mknod(target, FileOps.S_IFCHR, 0, 0);
        fileOps.lchown(target, (int) entry.getLongUserId(), (int) entry.getLongGroupId());
        return true;
    }
}
