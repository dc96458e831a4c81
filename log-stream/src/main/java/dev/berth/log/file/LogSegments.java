package dev.berth.log.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The files of one container's log, oldest first: rotated copies ({@code log.N} … {@code log.1},
 * the higher the older, as logrotate names them), then the live file conmon appends to. Each
 * comes with its file key (device and inode), which is what a follower goes by: names shift at
 * every rotation, a file's inode does not.
 *
 * <p>A rotation first gives the live file its rotated name as a second link, then has conmon
 * start a new live file; in between {@code log.1} and the live name are the same file, which is
 * listed once, as the live one.
 */
public final class LogSegments {
    private static final int MAX_ROTATED = 1000;

    /** One file of the log; {@code key} is null when the file went away while it was listed. */
    public record Segment(Path path, Object key) {
    }

    private LogSegments() {
    }

    /** The rotated name {@code index} (1 = the newest rotated file) of the live file {@code live}. */
    public static Path rotated(Path live, int index) {
        return live.resolveSibling(live.getFileName() + "." + index);
    }

    public static List<Segment> of(Path live) throws IOException {
        Object liveKey = keyOf(live);
        List<Segment> rotated = new ArrayList<>();
        for (int i = 1; i <= MAX_ROTATED; i++) {
            Path older = rotated(live, i);
            if (!Files.isRegularFile(older)) {
                break;
            }
            Object key = keyOf(older);
            if (key != null && !Objects.equals(key, liveKey)) {
                rotated.add(new Segment(older, key));
            }
        }
        Collections.reverse(rotated);
        rotated.add(new Segment(live, liveKey));
        return rotated;
    }

    /** The file's key, or null when there is no such file. */
    public static Object keyOf(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
