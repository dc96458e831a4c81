package dev.berth.log.file;

import static dev.berth.log.file.LogFiles.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailLocatorTest {
    @TempDir
    Path dir;

    /** The text from where the tail starts, for each block size, which must all agree. */
    private String tail(String content, int lines) throws Exception {
        Path log = Files.writeString(dir.resolve("ctr-" + System.nanoTime() + ".log"), content);
        String result = null;
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
            for (int block : new int[] {7, 16, 64, 100, 4096, K8sLogScanner.BLOCK}) {
                TailLocator.Result found = TailLocator.locate(channel, channel.size(), lines, block);
                byte[] all = Files.readAllBytes(log);
                String text = new String(all, (int) found.offset(), all.length - (int) found.offset(), StandardCharsets.UTF_8);
                if (result == null) {
                    result = text;
                } else {
                    assertThat(text).as("block size %d", block).isEqualTo(result);
                }
            }
        }
        return result;
    }

    @Test
    void findsTheLastLinesAcrossBlockBoundaries() throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            log.append(record(i, i % 3 == 0 ? "stderr" : "stdout", 'F', "line " + i));
        }
        String content = log.toString();
        assertThat(tail(content, 1)).isEqualTo(record(49, "stdout", 'F', "line 49"));
        assertThat(tail(content, 3)).isEqualTo(record(47, "stdout", 'F', "line 47") + record(48, "stderr", 'F', "line 48")
                + record(49, "stdout", 'F', "line 49"));
        assertThat(tail(content, 50)).isEqualTo(content);
        assertThat(tail(content, 500)).isEqualTo(content);
        assertThat(tail(content, 0)).isEmpty();
    }

    @Test
    void aLineSplitIntoPartialRecordsCountsOnceAndStartsAtItsFirstPiece() throws Exception {
        String huge = "h".repeat(5000);
        String content = record(1, "stdout", 'F', "before")
                + record(2, "stdout", 'P', huge) + record(3, "stdout", 'P', huge) + record(4, "stdout", 'F', "end")
                + record(5, "stdout", 'F', "after");
        String lastTwo = tail(content, 2);
        assertThat(lastTwo).startsWith(record(2, "stdout", 'P', huge)).endsWith(record(5, "stdout", 'F', "after"));
        assertThat(tail(content, 3)).isEqualTo(content);
    }

    @Test
    void aLineStillBeingWrittenCountsAndAnUnfinishedRecordDoesNot() throws Exception {
        String content = record(1, "stdout", 'F', "done") + record(2, "stdout", 'P', "in progress")
                + "2026-11-28T05:34:56.750913203+00:00 stdout F no newl";
        assertThat(tail(content, 1)).startsWith(record(2, "stdout", 'P', "in progress"));
        assertThat(tail(content, 2)).isEqualTo(content);
    }

    @Test
    void otherStreamsRecordsInsideAPartialLineAreShownWithIt() throws Exception {
        String content = record(1, "stdout", 'F', "old")
                + record(2, "stdout", 'P', "part") + record(3, "stderr", 'F', "interleaved") + record(4, "stdout", 'F', "ial");
        assertThat(tail(content, 1)).isEqualTo(content.substring(record(1, "stdout", 'F', "old").length()));
    }

    /**
     * tail 2 counts "ial" (stdout) and "interleaved" (stderr), the later of which by its last
     * record is stdout's; stdout's line began before stderr's: the tail starts at "part", not in
     * the middle of the line.
     */
    @Test
    void aCountedLineOfOneStreamThatBeganBeforeTheOtherStreamsIsShownWhole() throws Exception {
        String old = record(1, "stdout", 'F', "old") + record(2, "stderr", 'F', "old err");
        String content = old + record(3, "stdout", 'P', "par") + record(4, "stdout", 'P', "t")
                + record(5, "stderr", 'F', "interleaved") + record(6, "stdout", 'F', "ial");
        assertThat(tail(content, 2)).isEqualTo(content.substring(old.length()));
        assertThat(tail(content, 1)).isEqualTo(content.substring(old.length()));
        assertThat(tail(content, 3)).isEqualTo(content.substring(record(1, "stdout", 'F', "old").length()));
    }

    @Test
    void malformedLinesAreNotCounted() throws Exception {
        String content = record(1, "stdout", 'F', "one") + "garbage\n" + "\n" + record(2, "stdout", 'F', "two") + "junk\n";
        assertThat(tail(content, 1)).isEqualTo(record(2, "stdout", 'F', "two") + "junk\n");
        assertThat(tail(content, 2)).isEqualTo(content);
    }
}
