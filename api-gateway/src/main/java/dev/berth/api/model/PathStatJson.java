package dev.berth.api.model;

import dev.berth.bus.contract.archive.PathStat;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Docker's ContainerPathStat, as the X-Docker-Container-Path-Stat header carries it: JSON in
 * base64, with the mode as Go's os.FileMode, whose type and set-id bits differ
 * from st_mode's.
 */
public final class PathStatJson {
    private static final long GO_DIR = 1L << 31;
    private static final long GO_SYMLINK = 1L << 27;
    private static final long GO_DEVICE = 1L << 26;
    private static final long GO_NAMED_PIPE = 1L << 25;
    private static final long GO_SOCKET = 1L << 24;
    private static final long GO_SETUID = 1L << 23;
    private static final long GO_SETGID = 1L << 22;
    private static final long GO_CHAR_DEVICE = 1L << 21;
    private static final long GO_STICKY = 1L << 20;

    private PathStatJson() {
    }

    public static JsonObject of(PathStat stat) {
        return new JsonObject()
                .put("name", stat.name())
                .put("size", stat.size())
                .put("mode", goFileMode(stat.mode()))
                .put("mtime", stat.mtime())
                .put("linkTarget", stat.linkTarget());
    }

    public static String header(PathStat stat) {
        return Base64.getEncoder().encodeToString(of(stat).encode().getBytes(StandardCharsets.UTF_8));
    }

    /** st_mode as Go's os.FileMode. */
    static long goFileMode(int mode) {
        long result = mode & 0777;
        switch (mode & 0170000) {
            case 0040000 -> result |= GO_DIR;
            case 0120000 -> result |= GO_SYMLINK;
            case 0060000 -> result |= GO_DEVICE;
            case 0020000 -> result |= GO_DEVICE | GO_CHAR_DEVICE;
            case 0010000 -> result |= GO_NAMED_PIPE;
            case 0140000 -> result |= GO_SOCKET;
            default -> {
            }
        }
        if ((mode & 04000) != 0) {
            result |= GO_SETUID;
        }
        if ((mode & 02000) != 0) {
            result |= GO_SETGID;
        }
        if ((mode & 01000) != 0) {
            result |= GO_STICKY;
        }
        return result;
    }
}
