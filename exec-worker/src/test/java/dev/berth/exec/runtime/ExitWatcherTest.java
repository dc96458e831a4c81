package dev.berth.exec.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitWatcherTest {
    @Test
    void reportsExitsFoundAtStartAndWrittenLaterTheWayConmonWritesThem(@TempDir Path dir) throws Exception {
        String early = "a".repeat(64);
        String late = "b".repeat(64);
        Files.writeString(dir.resolve(early), "3");
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        try (ExitWatcher watcher = new ExitWatcher(dir, seen::put)) {
            watcher.start();
            assertThat(seen).containsEntry(early, 3);
            // conmon writes a temporary file and renames it into place.
            Path temporary = dir.resolve("." + late + ".XYZ123");
            Files.writeString(temporary, "137");
            Files.move(temporary, dir.resolve(late), StandardCopyOption.ATOMIC_MOVE);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!seen.containsKey(late) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(seen).containsEntry(late, 137).hasSize(2);
        }
    }
}
