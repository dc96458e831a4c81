package dev.berth.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The daemon's PID file; refuses to start over a live daemon, as dockerd does. */
final class PidFile {
    private final Path path;

    private PidFile(Path path) {
        this.path = path;
    }

    static PidFile create(Path path) throws IOException {
        if (Files.exists(path)) {
            String content = Files.readString(path, StandardCharsets.US_ASCII).trim();
            try {
                long pid = Long.parseLong(content);
                if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                        && Files.exists(Path.of("/proc/" + pid + "/cmdline"))
                        && Files.readString(Path.of("/proc/" + pid + "/cmdline")).contains("berth")) {
                    throw new IOException("pid file " + path + " shows that berthd " + pid + " is still running");
                }
            } catch (NumberFormatException ignored) {
                // A stale or garbled file: overwrite it.
            }
        }
        Files.createDirectories(path.getParent());
        Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        Files.writeString(temporary, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new PidFile(path);
    }

    void remove() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // Nothing more to do while shutting down.
        }
    }
}
