package dev.berth.graph.snapshot;

import dev.berth.bus.contract.image.ContainerChanges.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A container's changes under vfs, where nothing records them as they happen: its whole tree is
 * compared with its image's (the top layer's whole copy), as dockerd's vfs does. A path only in
 * the container was added, one only in the image deleted (below a deleted directory only the
 * directory is named), one in both changed when its type, mode, owner or device differ, or, for
 * what is not a directory, its size, modification time or link target. A directory's times and
 * size say little (any creation inside touches them), so a directory counts as changed only when
 * its own metadata differs or it holds a change, which its entry in a layer must then carry.
 */
public final class TreeComparer {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    /**
     * The changes, parents before children, in name order. image may be null (an image without
     * layers); mountPoints are absolute paths whose new empty files are the runtime's bind targets
     * rather than changes.
     */
    public List<FileChange> compare(Path image, Path container, Set<String> mountPoints) throws IOException {
        List<FileChange> changes = new ArrayList<>();
        compareDirectory(image, container, "", mountPoints, changes);
        return changes;
    }

    private boolean compareDirectory(Path imageDir, Path containerDir, String relative, Set<String> mountPoints,
            List<FileChange> out) throws IOException {
        Set<String> names = new TreeSet<>(list(containerDir));
        Set<String> inImage = imageDir == null ? Set.of() : new TreeSet<>(list(imageDir));
        names.addAll(inImage);
        boolean changed = false;
        for (String name : names) {
            String childRelative = relative.isEmpty() ? name : relative + "/" + name;
            String path = "/" + childRelative;
            Path ours = containerDir.resolve(name);
            Path theirs = imageDir == null ? null : imageDir.resolve(name);
            Map<String, Object> now = attributes(ours);
            Map<String, Object> before = inImage.contains(name) ? attributes(theirs) : null;
            if (now == null) {
                if (before != null) {
                    out.add(new FileChange(path, theirs, Kind.DELETED, FileChange.Form.WHITEOUT, before));
                    changed = true;
                }
                continue;
            }
            int type = type(now);
            boolean sameType = before != null && type(before) == type;
            if (type == S_IFDIR) {
                int at = out.size();
                boolean inner = compareDirectory(sameType ? theirs : null, ours, childRelative, mountPoints, out);
                if (!sameType || inner || differs(before, now, ours, theirs)) {
                    out.add(at, new FileChange(path, ours, before == null ? Kind.ADDED : Kind.MODIFIED,
                            FileChange.Form.PRESENT, now));
                    changed = true;
                }
                continue;
            }
            if (before == null && mountPoints.contains(path) && type == S_IFREG && ((Number) now.get("size")).longValue() == 0) {
                continue;
            }
            if (!sameType || differs(before, now, ours, theirs)) {
                out.add(new FileChange(path, ours, before == null ? Kind.ADDED : Kind.MODIFIED, FileChange.Form.PRESENT, now));
                changed = true;
            }
        }
        return changed;
    }

    /** dockerd's test: metadata for every type, plus content signs (size, mtime, target) for what is not a directory. */
    private static boolean differs(Map<String, Object> before, Map<String, Object> now, Path ours, Path theirs)
            throws IOException {
        if (!before.get("mode").equals(now.get("mode")) || !before.get("uid").equals(now.get("uid"))
                || !before.get("gid").equals(now.get("gid"))
                || ((Number) before.get("rdev")).longValue() != ((Number) now.get("rdev")).longValue()) {
            return true;
        }
        int type = type(now);
        if (type == S_IFDIR) {
            return false;
        }
        if (!before.get("lastModifiedTime").equals(now.get("lastModifiedTime"))
                || ((Number) before.get("size")).longValue() != ((Number) now.get("size")).longValue()) {
            return true;
        }
        return type == S_IFLNK && !Objects.equals(Files.readSymbolicLink(theirs), Files.readSymbolicLink(ours));
    }

    private static int type(Map<String, Object> attributes) {
        return (int) attributes.get("mode") & FileChange.S_IFMT;
    }

    private static List<String> list(Path directory) throws IOException {
        try (Stream<Path> children = Files.list(directory)) {
            return children.map(child -> child.getFileName().toString()).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private static Map<String, Object> attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, "unix:*", NOFOLLOW);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
