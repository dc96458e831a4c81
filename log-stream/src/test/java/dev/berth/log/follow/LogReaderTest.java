package dev.berth.log.follow;

import static dev.berth.log.file.LogFiles.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.stream.StreamRecords;
import dev.berth.log.file.LogFiles;
import dev.berth.log.file.LogRotation;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReaderTest {
    private static final long S = 1_000_000_000L;

    @TempDir
    Path dir;

    /** Collects chunks; says "full" once {@code capacity} chunks are waiting. */
    static final class Sink implements ChunkSink {
        final List<Buffer> chunks = new ArrayList<>();
        int capacity = Integer.MAX_VALUE;

        @Override
        public void write(Buffer chunk) {
            assertThat(chunk.length()).isLessThanOrEqualTo(64 * 1024);
            chunks.add(chunk);
        }

        @Override
        public boolean full() {
            return chunks.size() >= capacity;
        }

        /** "stream time text" per record. */
        List<String> records() {
            List<String> out = new ArrayList<>();
            for (Buffer chunk : chunks) {
                StreamRecords.forEach(chunk, r -> out.add(r.stream() + " " + r.timeNanos() + " " + r.payload().toString(StandardCharsets.UTF_8)));
            }
            return out;
        }

        /** The bytes of one stream, joined. */
        String text(int stream) {
            StringBuilder out = new StringBuilder();
            for (Buffer chunk : chunks) {
                StreamRecords.forEach(chunk, r -> {
                    if (r.stream() == stream) {
                        out.append(r.payload().toString(StandardCharsets.UTF_8));
                    }
                });
            }
            return out.toString();
        }
    }

    private static LogQuery all() {
        return new LogQuery(true, true, false, -1, 0, 0);
    }

    private Path log(String content) throws IOException {
        Path log = dir.resolve("ctr.log");
        Files.writeString(log, content);
        return log;
    }

    private static Sink readAll(Path log, LogQuery query) throws IOException {
        Sink sink = new Sink();
        try (LogReader reader = new LogReader(log, query, sink)) {
            LogReader.Progress progress;
            do {
                progress = reader.read();
            } while (progress == LogReader.Progress.FULL);
        }
        return sink;
    }

    @Test
    void joinsPartialRecordsIntoLinesPerStreamWithTheFirstRecordsTime() throws Exception {
        Path log = log(record(1 * S, "stdout", 'P', "hel")
                + record(2 * S, "stderr", 'F', "oops")
                + record(3 * S, "stdout", 'F', "lo")
                + "this is no record\n"
                + record(4 * S, "stdout", 'F', ""));
        Sink sink = readAll(log, all());
        assertThat(sink.records()).containsExactly("1 " + 1 * S + " hel", "2 " + 2 * S + " oops\n", "1 " + 1 * S + " lo\n",
                "1 " + 4 * S + " \n");
        assertThat(sink.text(1)).isEqualTo("hello\n\n");
        assertThat(sink.text(2)).isEqualTo("oops\n");
    }

    @Test
    void keepsOnlyTheChosenStreams() throws Exception {
        Path log = log(record(1, "stdout", 'F', "out") + record(2, "stderr", 'F', "err"));
        assertThat(readAll(log, new LogQuery(true, false, false, -1, 0, 0)).records()).containsExactly("1 1 out\n");
        assertThat(readAll(log, new LogQuery(false, true, false, -1, 0, 0)).records()).containsExactly("2 2 err\n");
    }

    @Test
    void sinceAndUntilChooseWholeLinesByTheirFirstRecord() throws Exception {
        Path log = log(record(1 * S, "stdout", 'F', "one")
                + record(2 * S, "stdout", 'P', "tw") + record(3 * S, "stdout", 'F', "o")
                + record(4 * S, "stdout", 'F', "four")
                + record(5 * S, "stdout", 'F', "five"));
        assertThat(readAll(log, new LogQuery(true, true, false, -1, 2 * S, 0)).text(1)).isEqualTo("two\nfour\nfive\n");
        assertThat(readAll(log, new LogQuery(true, true, false, -1, 3 * S, 0)).text(1)).isEqualTo("four\nfive\n");
        assertThat(readAll(log, new LogQuery(true, true, false, -1, 0, 4 * S)).text(1)).isEqualTo("one\ntwo\nfour\n");
        assertThat(readAll(log, new LogQuery(true, true, false, -1, 2 * S, 2 * S)).text(1)).isEqualTo("two\n");
    }

    @Test
    void tailIsAppliedBeforeSince() throws Exception {
        StringBuilder content = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            content.append(record(i * S, "stdout", 'F', "line " + i));
        }
        Path log = log(content.toString());
        assertThat(readAll(log, new LogQuery(true, true, false, 2, 0, 0)).text(1)).isEqualTo("line 9\nline 10\n");
        assertThat(readAll(log, new LogQuery(true, true, false, 5, 8 * S, 0)).text(1)).isEqualTo("line 8\nline 9\nline 10\n");
        assertThat(readAll(log, new LogQuery(true, true, false, 0, 0, 0)).chunks).isEmpty();
    }

    @Test
    void aMebibyteLineComesWholeInChunksOfAtMost64KiBAndTailCountsItOnce() throws Exception {
        // conmon splits a long line into P records of 8 KiB; one record longer than a block is covered too.
        String line = "0123456789abcdef".repeat(64 * 1024);
        StringBuilder content = new StringBuilder(record(1, "stdout", 'F', "before"));
        for (int i = 0; i < line.length(); i += 8192) {
            content.append(record(2, "stdout", 'P', line.substring(i, i + 8192)));
        }
        content.append(record(3, "stdout", 'F', "")).append(record(4, "stderr", 'F', line)).append(record(5, "stdout", 'F', "after"));
        Path log = log(content.toString());
        Sink sink = readAll(log, all());
        assertThat(sink.text(1)).isEqualTo("before\n" + line + "\nafter\n");
        assertThat(sink.text(2)).isEqualTo(line + "\n");
        Sink tail = readAll(log, new LogQuery(true, true, false, 3, 0, 0));
        assertThat(tail.text(1)).isEqualTo(line + "\nafter\n");
        assertThat(tail.text(2)).isEqualTo(line + "\n");
        assertThat(tail.records()).allSatisfy(r -> assertThat(r).startsWith(r.charAt(0) == '1' ? "1 " : "2 4 "));
    }

    @Test
    void aFullSinkStopsTheReaderLongBeforeTheEndOfTheFile() throws Exception {
        String line = "y".repeat(1000);
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 16 * 1024; i++) {
            content.append(record(i, "stdout", 'F', line));
        }
        Path log = log(content.toString());
        long size = Files.size(log);
        assertThat(size).isGreaterThan(16L << 20);
        Sink sink = new Sink();
        sink.capacity = 2;
        try (LogReader reader = new LogReader(log, all(), sink)) {
            assertThat(reader.read()).isEqualTo(LogReader.Progress.FULL);
            // Nothing was read ahead: two chunks out, one block and one chunk in memory at most.
            assertThat(sink.chunks).hasSize(2);
            assertThat(reader.read()).isEqualTo(LogReader.Progress.FULL);
            assertThat(sink.chunks).hasSize(2);
            sink.capacity = Integer.MAX_VALUE;
            assertThat(reader.read()).isEqualTo(LogReader.Progress.CAUGHT_UP);
        }
        assertThat(sink.text(1)).hasSize(16 * 1024 * 1001);
    }

    @Test
    void withoutFollowTheReadStopsAtWhatWasThereAtTheStart() throws Exception {
        Path log = log(record(1, "stdout", 'F', "old"));
        Sink sink = new Sink();
        try (LogReader reader = new LogReader(log, all(), sink)) {
            assertThat(reader.read()).isEqualTo(LogReader.Progress.CAUGHT_UP);
            LogFiles.append(log, record(2, "stdout", 'F', "new"));
            reader.read();
        }
        assertThat(sink.text(1)).isEqualTo("old\n");
    }

    @Test
    void followingPicksUpWhatIsAppendedEvenAFileThatAppearsLater() throws Exception {
        Path log = dir.resolve("later.log");
        Sink sink = new Sink();
        LogQuery follow = new LogQuery(true, true, true, 1, 0, 0);
        try (LogReader reader = new LogReader(log, follow, sink)) {
            assertThat(reader.read()).isEqualTo(LogReader.Progress.CAUGHT_UP);
            LogFiles.append(log, record(1, "stdout", 'F', "first") + record(2, "stdout", 'F', "second"));
            assertThat(reader.read()).isEqualTo(LogReader.Progress.CAUGHT_UP);
            assertThat(sink.text(1)).isEqualTo("first\nsecond\n");
            LogFiles.append(log, record(3, "stderr", 'P', "par"));
            reader.read();
            LogFiles.append(log, record(4, "stderr", 'F', "tial"));
            reader.read();
        }
        assertThat(sink.text(2)).isEqualTo("partial\n");
    }

    @Test
    void followingGoesOnInAFileThatReplacedTheLog() throws Exception {
        Path log = log(record(1, "stdout", 'F', "old file"));
        Sink sink = new Sink();
        try (LogReader reader = new LogReader(log, new LogQuery(true, true, true, -1, 0, 0), sink)) {
            reader.read();
            Path replacement = dir.resolve("replacement");
            Files.writeString(replacement, record(2, "stdout", 'F', "new file"));
            LogFiles.append(log, record(3, "stdout", 'F', "last words of the old file"));
            Files.move(replacement, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            reader.read();
            LogFiles.append(log, record(4, "stdout", 'F', "more"));
            reader.read();
        }
        assertThat(sink.text(1)).isEqualTo("old file\nlast words of the old file\nnew file\nmore\n");
    }

    @Test
    void rotatedFilesAreReadOldestFirstAndTailReachesIntoThem() throws Exception {
        Path log = log(record(5, "stdout", 'F', "live"));
        Files.writeString(dir.resolve("ctr.log.1"), record(3, "stdout", 'F', "rotated once") + record(4, "stdout", 'F', "x"));
        Files.writeString(dir.resolve("ctr.log.2"), record(1, "stdout", 'F', "rotated twice"));
        assertThat(readAll(log, all()).text(1)).isEqualTo("rotated twice\nrotated once\nx\nlive\n");
        assertThat(readAll(log, new LogQuery(true, true, false, 2, 0, 0)).text(1)).isEqualTo("x\nlive\n");
        assertThat(readAll(log, new LogQuery(true, true, false, 3, 0, 0)).text(1)).isEqualTo("rotated once\nx\nlive\n");
    }

    /** What conmon does when told to reopen its log: a new file renamed over the live name. */
    private static void conmonReopens(Path log) throws IOException {
        Path tmp = log.resolveSibling(log.getFileName() + ".tmp");
        Files.writeString(tmp, "");
        Files.move(tmp, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aFollowerReadsEveryLineAcrossRotationsEvenWhenItFellBehindByMoreThanOne() throws Exception {
        Path log = log(record(1, "stdout", 'F', "1"));
        Sink sink = new Sink();
        try (LogReader reader = new LogReader(log, new LogQuery(true, true, true, -1, 0, 0), sink)) {
            reader.read();
            int line = 2;
            for (int rotation = 0; rotation < 3; rotation++) {
                LogFiles.append(log, record(line, "stdout", 'F', Integer.toString(line++)));
                LogRotation.rotate(log, 4);
                // conmon writes on until it reopens: into the file now also named log.1.
                LogFiles.append(log, record(line, "stdout", 'F', Integer.toString(line++)));
                conmonReopens(log);
                LogFiles.append(log, record(line, "stdout", 'P', "par"));
                LogFiles.append(log, record(line, "stdout", 'F', "t" + line++));
                if (rotation == 0) {
                    reader.read();
                }
            }
            reader.read();
            reader.read();
        }
        assertThat(sink.text(1)).isEqualTo("1\n2\n3\npart4\n5\n6\npart7\n8\n9\npart10\n");
    }

    @Test
    void aFollowerThatFellBehindTheKeptFilesGoesOnFromTheOldestLeft() throws Exception {
        Path log = log(record(1, "stdout", 'F', "lost with its file"));
        Sink sink = new Sink();
        try (LogReader reader = new LogReader(log, new LogQuery(true, true, true, 0, 0, 0), sink)) {
            reader.read();
            for (int i = 2; i <= 4; i++) {
                LogRotation.rotate(log, 2);
                conmonReopens(log);
                LogFiles.append(log, record(i, "stdout", 'F', Integer.toString(i)));
            }
            reader.read();
            reader.read();
        }
        assertThat(sink.text(1)).isEqualTo("3\n4\n");
    }

    @Test
    void aLiveFileAlreadyLinkedAsRotatedIsReadOnce() throws Exception {
        Path log = log(record(1, "stdout", 'F', "old"));
        LogRotation.rotate(log, 3);
        LogFiles.append(log, record(2, "stdout", 'F', "live"));
        assertThat(Files.exists(dir.resolve("ctr.log.1"))).isTrue();
        assertThat(readAll(log, all()).text(1)).isEqualTo("old\nlive\n");
        conmonReopens(log);
        LogFiles.append(log, record(3, "stdout", 'F', "new"));
        assertThat(readAll(log, all()).text(1)).isEqualTo("old\nlive\nnew\n");
        assertThat(readAll(log, new LogQuery(true, true, false, 2, 0, 0)).text(1)).isEqualTo("live\nnew\n");
    }

    @Test
    void rotationKeepsAtMostMaxFilesFiles() throws Exception {
        Path log = log(record(1, "stdout", 'F', "1"));
        for (int i = 2; i <= 5; i++) {
            LogRotation.rotate(log, 3);
            conmonReopens(log);
            LogFiles.append(log, record(i, "stdout", 'F', Integer.toString(i)));
        }
        assertThat(Files.exists(dir.resolve("ctr.log.3"))).isFalse();
        assertThat(readAll(log, all()).text(1)).isEqualTo("3\n4\n5\n");
    }

    @Test
    void tailCountsAcrossRotatedFilesLargerThanABlock() throws Exception {
        Path log = dir.resolve("ctr.log");
        int perFile = 1700;
        Path[] files = {dir.resolve("ctr.log.2"), dir.resolve("ctr.log.1"), log};
        StringBuilder all = new StringBuilder();
        int line = 0;
        for (Path file : files) {
            StringBuilder content = new StringBuilder();
            for (int i = 0; i < perFile; i++, line++) {
                content.append(record(line * S, "stdout", 'F', "line " + line));
                all.append("line ").append(line).append('\n');
            }
            Files.writeString(file, content);
        }
        String[] lines = all.toString().split("\n");
        for (int tail : new int[] {1, perFile - 1, perFile, perFile + 1, 2 * perFile, 3 * perFile - 1, 3 * perFile, 5000}) {
            int from = Math.max(0, lines.length - tail);
            String expected = String.join("\n", java.util.Arrays.asList(lines).subList(from, lines.length)) + "\n";
            assertThat(readAll(log, new LogQuery(true, true, false, tail, 0, 0)).text(1)).as("tail %d", tail).isEqualTo(expected);
        }
    }

    @Test
    void aLineSplitAcrossARotationCountsOnceForTail() throws Exception {
        Path log = log(record(3, "stdout", 'F', "lo") + record(4, "stdout", 'F', "x"));
        Files.writeString(dir.resolve("ctr.log.1"), record(1, "stdout", 'F', "a") + record(2, "stdout", 'P', "hel"));
        assertThat(readAll(log, all()).text(1)).isEqualTo("a\nhello\nx\n");
        assertThat(readAll(log, new LogQuery(true, true, false, 3, 0, 0)).text(1)).isEqualTo("a\nhello\nx\n");
    }

    /**
     * The files a CI run left when rotation lagged far behind a fast writer (issue 10): conmon
     * reopened once, late, and the container exited between the second rotation's link and its
     * reopen, so {@code log.1} is the live file and nothing has been dropped yet. `docker logs`
     * shows all of it once, from the container's first line (which the test took for a numbered
     * one), and a line conmon split at the reopen is joined across the files.
     */
    @Test
    void aLogWhoseRotationLaggedShowsWhatItKeptOnceFromItsFirstLine() throws Exception {
        Path log = dir.resolve("ctr.log");
        Files.writeString(dir.resolve("ctr.log.2"), record(1, "stdout", 'F', "ready") + record(2, "stdout", 'F', "line 0")
                + record(3, "stdout", 'P', "line "));
        Files.writeString(log, record(4, "stdout", 'F', "1") + record(5, "stdout", 'F', "line 2"));
        Files.createLink(dir.resolve("ctr.log.1"), log);
        assertThat(readAll(log, all()).text(1)).isEqualTo("ready\nline 0\nline 1\nline 2\n");
        assertThat(readAll(log, new LogQuery(true, true, false, 2, 0, 0)).text(1)).isEqualTo("line 1\nline 2\n");
        assertThat(readAll(log, new LogQuery(true, true, false, 3, 0, 0)).text(1)).isEqualTo("line 0\nline 1\nline 2\n");
    }

    /**
     * Names shift under a `docker logs` that is half way through: it read the files it opened at
     * its start, by inode, even those that were renamed or deleted meanwhile, and stops at what
     * the live file held when it started.
     */
    @Test
    void rotationsDuringAReadChangeNothingInWhatItShows() throws Exception {
        Path log = dir.resolve("ctr.log");
        StringBuilder rotated = new StringBuilder();
        StringBuilder current = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            rotated.append(record(i, "stdout", 'F', "line " + i));
            expected.append("line ").append(i).append('\n');
        }
        // A line conmon split across the rotation.
        rotated.append(record(3000, "stdout", 'P', "line "));
        current.append(record(3001, "stdout", 'F', "3000"));
        expected.append("line 3000\n");
        for (int i = 3001; i < 6000; i++) {
            current.append(record(i + 1, "stdout", 'F', "line " + i));
            expected.append("line ").append(i).append('\n');
        }
        Files.writeString(dir.resolve("ctr.log.1"), rotated);
        Files.writeString(log, current);
        Sink sink = new Sink();
        sink.capacity = 1;
        try (LogReader reader = new LogReader(log, all(), sink)) {
            assertThat(reader.read()).isEqualTo(LogReader.Progress.FULL);
            assertThat(sink.text(1).length()).isLessThan(expected.length() / 2);
            // Both files it opened are deleted, with the two kept, before it reads on.
            for (int i = 0; i < 3; i++) {
                LogRotation.rotate(log, 2);
                conmonReopens(log);
                LogFiles.append(log, record(10_000 + i, "stdout", 'F', "after the start " + i));
            }
            sink.capacity = Integer.MAX_VALUE;
            while (reader.read() == LogReader.Progress.FULL) {
                assertThat(sink.chunks).isNotEmpty();
            }
        }
        assertThat(sink.text(1)).isEqualTo(expected.toString());
    }

    @Test
    void aTailsFirstLineIsShownWholeWhenItsPiecesSpanSeveralFiles() throws Exception {
        Path log = log(record(5, "stdout", 'F', "lo") + record(6, "stdout", 'F', "x"));
        Files.writeString(dir.resolve("ctr.log.1"), record(3, "stderr", 'F', "err") + record(4, "stdout", 'P', "l"));
        Files.writeString(dir.resolve("ctr.log.2"), record(1, "stdout", 'F', "a") + record(2, "stdout", 'P', "he"));
        Sink two = readAll(log, new LogQuery(true, true, false, 2, 0, 0));
        assertThat(two.text(1)).isEqualTo("hello\nx\n");
        assertThat(two.text(2)).as("written while the line was").isEqualTo("err\n");
        assertThat(readAll(log, new LogQuery(true, true, false, 1, 0, 0)).text(1)).isEqualTo("x\n");
        Sink three = readAll(log, new LogQuery(true, true, false, 3, 0, 0));
        assertThat(three.text(1)).isEqualTo("hello\nx\n");
        assertThat(three.text(2)).as("counted by its last record, earlier than hello's").isEqualTo("err\n");
        assertThat(readAll(log, new LogQuery(true, true, false, 4, 0, 0)).text(1)).isEqualTo("a\nhello\nx\n");
    }

    @Test
    void noLogIsAnEmptyLog() throws Exception {
        Sink sink = new Sink();
        try (LogReader reader = new LogReader(dir.resolve("never-started.log"), all(), sink)) {
            assertThat(reader.read()).isEqualTo(LogReader.Progress.FINISHED);
        }
        try (LogReader reader = new LogReader(null, all(), sink)) {
            assertThat(reader.read()).isEqualTo(LogReader.Progress.FINISHED);
        }
        assertThat(sink.chunks).isEmpty();
    }

    /**
     * max-file drops a file that ended with a piece of a line: the file that is now the oldest
     * begins with the rest of that line, which is skipped (its start is gone), as dockerd never
     * shows a fragment. Lines of the other stream are kept.
     */
    @Test
    void aLineWhoseStartWasDroppedWithTheOldestFileIsNotShown() throws Exception {
        Path log = log(record(1, "stdout", 'F', "line 1") + record(2, "stdout", 'P', "line 10"));
        LogRotation.rotate(log, 3);
        conmonReopens(log);
        LogFiles.append(log, record(3, "stdout", 'P', "9") + record(4, "stderr", 'F', "err")
                + record(5, "stdout", 'F', "9") + record(6, "stdout", 'F', "line 11"));
        assertThat(readAll(log, all()).text(1)).isEqualTo("line 1\nline 1099\nline 11\n");

        LogRotation.rotate(log, 3);
        conmonReopens(log);
        LogFiles.append(log, record(7, "stdout", 'F', "line 12"));
        assertThat(readAll(log, all()).text(1)).isEqualTo("line 1\nline 1099\nline 11\nline 12\n");

        // the first file, which ends with "line 10" of a line, goes: "99" alone would be a fragment
        LogRotation.rotate(log, 3);
        conmonReopens(log);
        Sink sink = readAll(log, all());
        assertThat(sink.text(1)).isEqualTo("line 11\nline 12\n");
        assertThat(sink.text(2)).isEqualTo("err\n");

        // the next drop ends with a whole line: the note is forgotten
        LogFiles.append(log, record(8, "stdout", 'F', "line 13"));
        LogRotation.rotate(log, 3);
        conmonReopens(log);
        assertThat(readAll(log, all()).text(1)).isEqualTo("line 12\nline 13\n");
    }
}
