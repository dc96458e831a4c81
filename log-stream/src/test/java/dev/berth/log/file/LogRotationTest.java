package dev.berth.log.file;

import static dev.berth.log.file.LogFiles.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRotationTest {
    @TempDir
    Path dir;

    @Test
    void aRotationAwaitsTheReopenFromTheLinkUntilConmonRenamesANewFileOverTheLiveName() throws Exception {
        Path live = dir.resolve("ctr.log");
        assertThat(LogRotation.awaitsReopen(live)).as("no log yet").isFalse();
        Files.writeString(live, record(1, "stdout", 'F', "0123456789"));
        assertThat(LogRotation.awaitsReopen(live)).isFalse();

        assertThat(LogRotation.rotateIfFull(live, 10, 3)).isTrue();
        assertThat(LogRotation.awaitsReopen(live)).isTrue();
        assertThat(LogRotation.rotateIfFull(live, 10, 3)).as("the next rotation waits for the reopen").isFalse();

        Path fresh = dir.resolve("ctr.log.tmp");
        Files.writeString(fresh, "");
        Files.move(fresh, live, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(LogRotation.awaitsReopen(live)).isFalse();
        assertThat(Files.readString(dir.resolve("ctr.log.1"))).contains("0123456789");
    }
}
