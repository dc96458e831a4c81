package dev.berth.log.file;

import static dev.berth.log.file.LogFiles.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class K8sLogScannerTest {
    @TempDir
    Path dir;

    /** What the sink saw, one string per piece: "stream flag first/last data". */
    private static final class Collector implements RecordSink {
        final List<String> pieces = new ArrayList<>();
        int stopAfter = Integer.MAX_VALUE;

        @Override
        public boolean accept(K8sLogFormat.Header header, boolean first, boolean last, byte[] data, int offset, int length) {
            pieces.add(header.stream() + (header.partial() ? "P" : "F") + (first ? "<" : "") + (last ? ">" : "") + " "
                    + new String(data, offset, length, StandardCharsets.UTF_8) + "@" + header.timeNanos());
            return pieces.size() < stopAfter;
        }
    }

    private FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    @Test
    void handsOverRecordsKeepingTheNewlineOfFullOnesAndSkippingMalformedLines() throws Exception {
        Path log = dir.resolve("ctr.log");
        LogFiles.append(log, record(1_000, "stdout", 'F', "out")
                + "not a record\n"
                + record(2_000, "stderr", 'P', "par")
                + record(3_000, "stderr", 'F', "tial")
                + record(4_000, "stdout", 'F', ""));
        Collector sink = new Collector();
        try (FileChannel channel = open(log)) {
            K8sLogScanner scanner = new K8sLogScanner(channel, 0);
            assertThat(scanner.scan(Long.MAX_VALUE, sink)).isEqualTo(K8sLogScanner.Outcome.END);
            assertThat(scanner.position()).isEqualTo(channel.size());
        }
        assertThat(sink.pieces).containsExactly("1F<> out\n@1000", "2P<> par@2000", "2F<> tial\n@3000", "1F<> \n@4000");
    }

    @Test
    void leavesARecordBeingWrittenForTheNextScan() throws Exception {
        Path log = dir.resolve("ctr.log");
        String whole = record(1_000, "stdout", 'F', "first") + record(2_000, "stdout", 'F', "second");
        LogFiles.append(log, whole.substring(0, whole.length() - 4));
        Collector sink = new Collector();
        try (FileChannel channel = open(log)) {
            K8sLogScanner scanner = new K8sLogScanner(channel, 0, 64);
            scanner.scan(Long.MAX_VALUE, sink);
            assertThat(sink.pieces).containsExactly("1F<> first\n@1000");
            LogFiles.append(log, whole.substring(whole.length() - 4));
            scanner.scan(Long.MAX_VALUE, sink);
        }
        assertThat(sink.pieces).containsExactly("1F<> first\n@1000", "1F<> second\n@2000");
    }

    @Test
    void aRecordLongerThanTheBlockComesInPiecesThatAddUp() throws Exception {
        Path log = dir.resolve("ctr.log");
        String big = "x".repeat(1000) + "y";
        LogFiles.append(log, "junk that is longer than the block and is no record at all\n"
                + record(1_000, "stdout", 'P', big) + record(2_000, "stdout", 'F', "end"));
        Collector sink = new Collector();
        try (FileChannel channel = open(log)) {
            new K8sLogScanner(channel, 0, 64).scan(Long.MAX_VALUE, sink);
        }
        StringBuilder joined = new StringBuilder();
        for (String piece : sink.pieces) {
            joined.append(piece, piece.indexOf(' ') + 1, piece.lastIndexOf('@'));
        }
        assertThat(joined.toString()).isEqualTo(big + "end\n");
        assertThat(sink.pieces.get(0)).startsWith("1P< ");
        assertThat(sink.pieces).filteredOn(p -> p.startsWith("1P") && p.contains(">")).hasSize(1);
    }

    @Test
    void stopsWhenAskedAndGoesOnFromThere() throws Exception {
        Path log = dir.resolve("ctr.log");
        for (int i = 0; i < 10; i++) {
            LogFiles.append(log, record(i, "stdout", 'F', "line " + i));
        }
        Collector sink = new Collector();
        sink.stopAfter = 3;
        try (FileChannel channel = open(log)) {
            K8sLogScanner scanner = new K8sLogScanner(channel, 0, 4096);
            assertThat(scanner.scan(Long.MAX_VALUE, sink)).isEqualTo(K8sLogScanner.Outcome.STOPPED);
            assertThat(sink.pieces).hasSize(3);
            sink.stopAfter = Integer.MAX_VALUE;
            assertThat(scanner.scan(Long.MAX_VALUE, sink)).isEqualTo(K8sLogScanner.Outcome.END);
        }
        assertThat(sink.pieces).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(sink.pieces.get(i)).isEqualTo("1F<> line " + i + "\n@" + i);
        }
    }

    @Test
    void aLimitKeepsTheScanInsideASnapshot() throws Exception {
        Path log = dir.resolve("ctr.log");
        String first = record(1, "stdout", 'F', "a");
        LogFiles.append(log, first + record(2, "stdout", 'F', "b"));
        Collector sink = new Collector();
        try (FileChannel channel = open(log)) {
            new K8sLogScanner(channel, 0).scan(first.length(), sink);
        }
        assertThat(sink.pieces).containsExactly("1F<> a\n@1");
    }
}
