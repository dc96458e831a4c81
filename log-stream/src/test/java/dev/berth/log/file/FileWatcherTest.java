package dev.berth.log.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Closeable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWatcherTest {
    @TempDir
    Path dir;

    private FileWatcher watcher;

    @BeforeEach
    void setUp() throws Exception {
        watcher = FileWatcher.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        watcher.close();
    }

    @Test
    void tellsOfCreationWritesAndReplacementOfTheWatchedFileOnly() throws Exception {
        Path log = dir.resolve("ctr.log");
        Semaphore changes = new Semaphore(0);
        Closeable watch = watcher.watch(log, changes::release);
        assertThat(watch).isNotNull();
        Files.writeString(log, "created\n");
        assertThat(changes.tryAcquire(2, TimeUnit.SECONDS)).isTrue();
        settle(changes);
        Files.writeString(dir.resolve("other"), "not followed\n");
        assertThat(changes.tryAcquire(200, TimeUnit.MILLISECONDS)).isFalse();
        LogFiles.append(log, "written\n");
        assertThat(changes.tryAcquire(2, TimeUnit.SECONDS)).isTrue();
        Path replacement = Files.writeString(dir.resolve("tmp"), "replaced\n");
        changes.drainPermits();
        Files.move(replacement, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(changes.tryAcquire(2, TimeUnit.SECONDS)).isTrue();
        watch.close();
        changes.drainPermits();
        LogFiles.append(log, "unwatched\n");
        assertThat(changes.tryAcquire(200, TimeUnit.MILLISECONDS)).isFalse();
    }

    /**
     * Waits out the events of the last change: creating and writing a file are two inotify
     * events, and on a busy machine the second may come well after the first.
     */
    private static void settle(Semaphore changes) throws InterruptedException {
        while (changes.tryAcquire(100, TimeUnit.MILLISECONDS)) {
            changes.drainPermits();
        }
    }

    @Test
    void aDirectoryThatCannotBeWatchedMeansPolling() {
        assertThat(watcher.watch(dir.resolve("missing/ctr.log"), () -> { })).isNull();
    }
}
