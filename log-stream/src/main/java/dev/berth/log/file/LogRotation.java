package dev.berth.log.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The file side of rotating a container's log, as {@code max-file} keeps it: the oldest kept
 * copy goes, the others move one name up, and the live file gets the name {@code log.1} as a
 * second link. The live name stays on the same file, which conmon keeps appending to until it is
 * told to reopen its log: it then writes a new file and renames it over the live name. No line
 * is lost in between, because every line conmon writes lands in the file now also called
 * {@code log.1}; readers list that file once (see {@link LogSegments}).
 */
public final class LogRotation {
    private LogRotation() {
    }

    /**
     * Rotates the names of {@code live}'s files keeping at most {@code maxFiles} files in all (the
     * live one included); with one file, the old content is simply dropped at the reopen.
     */
    public static void rotate(Path live, int maxFiles) throws IOException {
        if (maxFiles < 1) {
            throw new IllegalArgumentException("maxFiles must be at least 1");
        }
        Path oldest = LogSegments.rotated(live, maxFiles - 1 < 1 ? 1 : maxFiles - 1);
        if (maxFiles > 1 && Files.exists(oldest)) {
            MidLineStart.beforeDropping(live, oldest, maxFiles > 2 ? LogSegments.rotated(live, maxFiles - 2) : live);
        }
        Files.deleteIfExists(oldest);
        for (int i = maxFiles - 2; i >= 1; i--) {
            Path from = LogSegments.rotated(live, i);
            if (Files.exists(from)) {
                Files.move(from, LogSegments.rotated(live, i + 1), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
        if (maxFiles > 1 && Files.exists(live)) {
            Files.createLink(LogSegments.rotated(live, 1), live);
        }
    }

    /**
     * Whether a rotation is waiting for conmon's reopen: {@code log.1} is still the live file
     * itself. Right after a rotation that is the normal state for a few milliseconds; when a
     * container starts, it means the last run ended (or berthd stopped) between the link and the
     * reopen, and the reopen must be asked for again, or {@link #rotateIfFull} would wait for it for
     * ever and the log would grow without bound.
     */
    public static boolean awaitsReopen(Path live) throws IOException {
        Object liveKey = LogSegments.keyOf(live);
        return liveKey != null && liveKey.equals(LogSegments.keyOf(LogSegments.rotated(live, 1)));
    }

    /**
     * Rotates when the live file has reached {@code maxSize} and the last rotation is complete
     * (conmon has started its new file, so {@code log.1} is no longer the live file itself).
     * True when it rotated: conmon must then be told to reopen.
     */
    public static boolean rotateIfFull(Path live, long maxSize, int maxFiles) throws IOException {
        return rotateIfFull(live, maxSize, maxFiles, () -> {
        });
    }

    /** {@link #rotateIfFull(Path, long, int)}, running {@code beforeRotating} when it is about to rotate. */
    public static boolean rotateIfFull(Path live, long maxSize, int maxFiles, BeforeRotating beforeRotating) throws IOException {
        Object liveKey = LogSegments.keyOf(live);
        if (liveKey == null || Files.size(live) < maxSize) {
            return false;
        }
        if (maxFiles > 1 && awaitsReopen(live)) {
            return false;
        }
        beforeRotating.run();
        rotate(live, maxFiles);
        return true;
    }

    /** What must happen before a rotation renames or deletes a file (counting what the files hold). */
    @FunctionalInterface
    public interface BeforeRotating {
        void run() throws IOException;
    }
}
