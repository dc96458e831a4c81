package dev.berth.graph.snapshot;

import dev.berth.bus.contract.image.ContainerChanges.Kind;
import dev.berth.host.FileOps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a container's changes from its overlay upper directory, compared with the image's lower
 * directories: what is in the upper directory and nowhere below was added, what is in both was
 * changed, and a whiteout (a 0/0 character device) deleted what it hides. Overlay copies a
 * directory up whenever something under it changes, so a directory counts as changed only when
 * it is new, opaque, differs from its lower self, or holds a change.
 */
public final class UpperDirScanner {
    public static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final FileOps fileOps;

    public UpperDirScanner(FileOps fileOps) {
        this.fileOps = fileOps;
    }

    /**
     * The changes, parents before their children (the order a layer tar needs). lowers are the
     * image's layers, topmost first; mountPoints are absolute paths whose new empty files are the
     * runtime's mount targets rather than changes.
     */
    public List<FileChange> scan(Path upper, List<Path> lowers, Set<String> mountPoints) throws IOException {
        List<FileChange> entries = new ArrayList<>();
        scanDirectory(upper, "", lowers, mountPoints, entries);
        return entries;
    }

    /** Appends the changes under directory; answers whether there was any. */
    private boolean scanDirectory(Path directory, String relative, List<Path> lowers, Set<String> mountPoints,
            List<FileChange> out) throws IOException {
        String[] names;
        try (Stream<Path> children = Files.list(directory)) {
            names = children.map(child -> child.getFileName().toString()).toArray(String[]::new);
        }
        Arrays.sort(names);
        boolean changed = false;
        for (String name : names) {
            Path file = directory.resolve(name);
            String childRelative = relative.isEmpty() ? name : relative + "/" + name;
            String path = "/" + childRelative;
            Map<String, Object> attributes = Files.readAttributes(file, "unix:*", NOFOLLOW);
            int mode = (int) attributes.get("mode");
            if ((mode & FileChange.S_IFMT) == FileOps.S_IFCHR && ((Number) attributes.get("rdev")).longValue() == 0) {
                out.add(new FileChange(path, file, Kind.DELETED, FileChange.Form.WHITEOUT, attributes));
                changed = true;
                continue;
            }
            Optional<Map<String, Object>> lower = lowerAttributes(lowers, childRelative);
            if ((mode & FileChange.S_IFMT) == 0040000) {
                boolean opaque = isOpaque(file);
                int at = out.size();
                boolean inner = scanDirectory(file, childRelative, lowers, mountPoints, out);
                if (lower.isEmpty() || opaque || inner || differs(attributes, lower.get())) {
                    out.add(at, new FileChange(path, file, lower.isEmpty() ? Kind.ADDED : Kind.MODIFIED,
                            opaque ? FileChange.Form.OPAQUE_DIRECTORY : FileChange.Form.PRESENT, attributes));
                    changed = true;
                }
                continue;
            }
            if (lower.isEmpty() && mountPoints.contains(path) && (mode & FileChange.S_IFMT) == 0100000
                    && ((Number) attributes.get("size")).longValue() == 0) {
                continue;
            }
            out.add(new FileChange(path, file, lower.isEmpty() ? Kind.ADDED : Kind.MODIFIED, FileChange.Form.PRESENT, attributes));
            changed = true;
        }
        return changed;
    }

    private boolean isOpaque(Path directory) throws IOException {
        Optional<byte[]> value = fileOps.lgetxattr(directory, OPAQUE_XATTR);
        return value.isPresent() && new String(value.get(), StandardCharsets.US_ASCII).equals("y");
    }

    /** The path's attributes in the topmost layer that has it, empty when none does or a whiteout hides it. */
    private static Optional<Map<String, Object>> lowerAttributes(List<Path> lowers, String relative) throws IOException {
        for (Path lower : lowers) {
            Path candidate = lower.resolve(relative);
            if (Files.exists(candidate, NOFOLLOW)) {
                Map<String, Object> attributes = Files.readAttributes(candidate, "unix:*", NOFOLLOW);
                boolean whiteout = ((int) attributes.get("mode") & FileChange.S_IFMT) == FileOps.S_IFCHR
                        && ((Number) attributes.get("rdev")).longValue() == 0;
                return whiteout ? Optional.empty() : Optional.of(attributes);
            }
        }
        return Optional.empty();
    }

    private static boolean differs(Map<String, Object> upper, Map<String, Object> lower) {
        return !upper.get("mode").equals(lower.get("mode")) || !upper.get("uid").equals(lower.get("uid"))
                || !upper.get("gid").equals(lower.get("gid"));
    }
}
