package dev.berth.graph.unpack;

import dev.berth.bus.EngineException;
import dev.berth.host.FileOps;
import dev.berth.host.archive.SafeTarExtractor;
import dev.berth.host.archive.UnsafeArchiveException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Applies one layer tar to an empty directory in the form overlayfs reads: whiteouts become 0/0
 * character devices, opaque markers the {@code trusted.overlay.opaque} xattr. Everything else is
 * the shared safe extraction ({@link SafeTarExtractor}): its refusals of hostile layers become
 * INVALID_ARGUMENT. On a refusal the caller discards the directory.
 */
public final class LayerUnpacker {
    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";

    /** What an unpack produced. size counts the bytes of regular files, as du would roughly. */
    public record Result(long entries, long contentBytes, long tarBytes) {
    }

    private final FileOps fileOps;
    private final SafeTarExtractor extractor;

    public LayerUnpacker(FileOps fileOps, UnpackLimits limits) {
        this.fileOps = fileOps;
        this.extractor = new SafeTarExtractor(fileOps, SafeTarExtractor.Options.of("layer", limits.maxBytes(),
                limits.maxEntries()), this::whiteout);
    }

    /** Unpacks an uncompressed layer tar into root, an existing empty directory. */
    public Result unpack(InputStream tar, Path root) throws IOException {
        try {
            SafeTarExtractor.Result result = extractor.extract(tar, root);
            return new Result(result.entries(), result.contentBytes(), result.tarBytes());
        } catch (UnsafeArchiveException e) {
            throw EngineException.invalid(e.getMessage());
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
