package dev.berth.log.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bytes written to logs, from the files' growth, across rotations, stops and removals. */
class LogWritesTest {
    @TempDir
    Path dir;

    private final LogWrites writes = new LogWrites();

    private static void append(Path file, int bytes) throws IOException {
        Files.write(file, new byte[bytes], StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** What conmon does at its control message 2: a new empty file renamed over the live name. */
    private static void reopen(Path live) throws IOException {
        Path fresh = live.resolveSibling(live.getFileName() + ".tmp");
        Files.write(fresh, new byte[0]);
        Files.move(fresh, live, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private boolean rotate(String id, Path live, long maxSize, int maxFiles) throws IOException {
        return writes.rotate(id, live, maxFiles, measure -> LogRotation.rotateIfFull(live, maxSize, maxFiles, measure));
    }

    @Test
    void whatALogHeldWhenCountingStartedIsNotCountedWhatItGainsIs() throws Exception {
        Path old = dir.resolve("old.log");
        append(old, 1000);
        writes.baseline("old", old);
        writes.started("old", old);
        append(old, 10);
        Path fresh = dir.resolve("new.log");
        writes.started("new", fresh);
        append(fresh, 7);
        assertThat(writes.measureRunning()).isEqualTo(17);
        assertThat(writes.measureRunning()).as("measured twice, counted once").isEqualTo(17);
    }

    @Test
    void whatARotationDropsWasCountedBeforeItWent() throws Exception {
        Path live = dir.resolve("c.log");
        writes.started("c", live);
        long written = 0;
        for (int i = 0; i < 6; i++) {
            append(live, 100);
            written += 100;
            if (rotate("c", live, 100, 2)) {
                append(live, 5); // written after the link, before conmon's reopen: lands in c.log.1
                written += 5;
                reopen(live);
            }
        }
        assertThat(Files.exists(dir.resolve("c.log.2"))).isFalse();
        assertThat(writes.measureRunning()).isEqualTo(written);
    }

    @Test
    void withOneFileTheLastBytesBeforeConmonsReopenAreCounted() throws Exception {
        Path live = dir.resolve("one.log");
        writes.started("one", live);
        append(live, 200);
        try (FileChannel conmon = FileChannel.open(live, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            assertThat(rotate("one", live, 100, 1)).isTrue();
            conmon.write(ByteBuffer.wrap("late".getBytes(StandardCharsets.US_ASCII)));
        }
        reopen(live);
        append(live, 3);
        assertThat(writes.measureRunning()).isEqualTo(207);
    }

    @Test
    void aRemovalCountsWhatWasWrittenSinceTheLastMeasurementAndTheContainerIsForgotten() throws Exception {
        Path live = dir.resolve("gone.log");
        writes.started("gone", live);
        append(live, 50);
        assertThat(writes.measureRunning()).isEqualTo(50);
        append(live, 25);
        writes.stopped("gone");
        append(live, 0);
        writes.retire("gone", live);
        Files.delete(live);
        assertThat(writes.total()).isEqualTo(75);

        // A start event heard late must not bring it back, nor count its files a second time.
        append(live, 40);
        writes.started("gone", live);
        assertThat(writes.measureRunning()).isEqualTo(75);

        Path never = dir.resolve("never-seen.log");
        append(never, 9);
        writes.retire("never-seen", never);
        assertThat(writes.total()).as("a container never seen running counts in full").isEqualTo(84);
    }

    @Test
    void aFileKeyThatComesBackOnANewFileCountsFromZero() throws Exception {
        Path live = dir.resolve("k.log");
        writes.started("k", live);
        append(live, 500);
        assertThat(writes.measureRunning()).isEqualTo(500);
        // Whether or not the new file gets the old inode, its bytes are new.
        Files.delete(live);
        assertThat(writes.measureRunning()).isEqualTo(500);
        append(live, 30);
        assertThat(writes.measureRunning()).isEqualTo(530);
    }
}
