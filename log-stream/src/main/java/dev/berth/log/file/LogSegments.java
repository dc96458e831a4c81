package dev.berth.log.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The files of one container's log, oldest first: rotated copies ({@code log.N} … {@code log.1},
 * the higher the older, as logrotate names them), then the live file conmon appends to. Nothing
 * rotates logs yet, so today the list is the live file alone; readers go through it so that
 * rotation needs no change to them.
 */
public final class LogSegments {
    private static final int MAX_ROTATED = 1000;

    private LogSegments() {
    }

    public static List<Path> of(Path live) {
        List<Path> rotated = new ArrayList<>();
        for (int i = 1; i <= MAX_ROTATED; i++) {
            Path older = live.resolveSibling(live.getFileName() + "." + i);
            if (!Files.isRegularFile(older)) {
                break;
            }
            rotated.add(older);
        }
        Collections.reverse(rotated);
        rotated.add(live);
        return rotated;
    }
}
