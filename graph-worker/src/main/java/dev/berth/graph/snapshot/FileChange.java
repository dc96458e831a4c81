package dev.berth.graph.snapshot;

import dev.berth.bus.contract.image.ContainerChanges.Kind;
import java.nio.file.Path;
import java.util.Map;

/**
 * One path a container changed, as both drivers report it: path is absolute inside the
 * container, file is where its current content (or, for a deletion, its former self) can be
 * read, attributes are that file's {@code unix:*} attributes, read without following links.
 */
public record FileChange(String path, Path file, Kind kind, Form form, Map<String, Object> attributes) {
    static final int S_IFMT = 0170000;

    /** How the change goes into a layer tar. */
    public enum Form {
        /** A file, directory, link or device to copy as it is. */
        PRESENT,
        /** A directory that hides everything below it in the image (overlay's opaque xattr). */
        OPAQUE_DIRECTORY,
        /** A whiteout: the path was deleted. */
        WHITEOUT
    }

    public boolean isDirectory() {
        return ((int) attributes.get("mode") & S_IFMT) == 0040000;
    }
}
