package dev.berth.log.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class K8sLogFormatTest {
    private static long time(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return K8sLogFormat.parseTime(b, 0, b.length);
    }

    private static long nanos(String iso) {
        Instant instant = OffsetDateTime.parse(iso).toInstant();
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    @Test
    void parsesConmonTimesWithAnyOffset() {
        assertThat(time("2026-11-28T05:34:56.750913203+00:00")).isEqualTo(nanos("2026-11-28T05:34:56.750913203Z"));
        assertThat(time("2024-05-01T12:34:56.123456789+02:00")).isEqualTo(nanos("2024-05-01T10:34:56.123456789Z"));
        assertThat(time("2024-05-01T12:34:56.123456789-05:30")).isEqualTo(nanos("2024-05-01T18:04:56.123456789Z"));
        assertThat(time("2024-05-01T12:34:56Z")).isEqualTo(nanos("2024-05-01T12:34:56Z"));
        assertThat(time("2024-05-01T12:34:56.5Z")).isEqualTo(nanos("2024-05-01T12:34:56.500Z"));
        assertThat(time("1969-12-31T23:59:59.5Z")).isEqualTo(-500_000_000L);
    }

    @Test
    void refusesWhatIsNotATime() {
        assertThat(time("2024-13-01T12:34:56Z")).isEqualTo(K8sLogFormat.INVALID_TIME);
        assertThat(time("2024-02-30T12:34:56Z")).isEqualTo(K8sLogFormat.INVALID_TIME);
        assertThat(time("2024-05-01 12:34:56Z")).isEqualTo(K8sLogFormat.INVALID_TIME);
        assertThat(time("2024-05-01T12:34:56.Z")).isEqualTo(K8sLogFormat.INVALID_TIME);
        assertThat(time("2024-05-01T12:34:56+0200")).isEqualTo(K8sLogFormat.INVALID_TIME);
        assertThat(time("2024-05-01T12:34:56")).isEqualTo(K8sLogFormat.INVALID_TIME);
        assertThat(time("garbage")).isEqualTo(K8sLogFormat.INVALID_TIME);
    }

    private static K8sLogFormat.Header header(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        K8sLogFormat.Header header = new K8sLogFormat.Header();
        return K8sLogFormat.parseHeader(b, 0, b.length, header) ? header : null;
    }

    @Test
    void parsesTheHostsOwnLine() {
        String line = "2026-11-28T05:34:56.750913203+00:00 stdout F hello";
        K8sLogFormat.Header h = header(line);
        assertThat(h).isNotNull();
        assertThat(h.stream()).isEqualTo(K8sLogFormat.STDOUT);
        assertThat(h.partial()).isFalse();
        assertThat(h.timeNanos()).isEqualTo(nanos("2026-11-28T05:34:56.750913203Z"));
        assertThat(line.substring(h.dataOffset)).isEqualTo("hello");
    }

    @Test
    void readsStderrPartialsAndEmptyLines() {
        K8sLogFormat.Header err = header("2026-11-28T05:34:56.750913203+00:00 stderr P  two spaces");
        assertThat(err.stream()).isEqualTo(K8sLogFormat.STDERR);
        assertThat(err.partial()).isTrue();
        assertThat("2026-11-28T05:34:56.750913203+00:00 stderr P  two spaces".substring(err.dataOffset)).isEqualTo(" two spaces");
        String empty = "2026-11-28T05:34:56.750913203+00:00 stdout F ";
        assertThat(header(empty).dataOffset).isEqualTo(empty.length());
        String bare = "2026-11-28T05:34:56.750913203+00:00 stdout F";
        assertThat(header(bare).dataOffset).isEqualTo(bare.length());
    }

    @Test
    void refusesMalformedHeaders() {
        assertThat(header("hello world")).isNull();
        assertThat(header("2026-11-28T05:34:56.750913203+00:00 stdin F x")).isNull();
        assertThat(header("2026-11-28T05:34:56.750913203+00:00 stdout X x")).isNull();
        assertThat(header("2026-11-28T05:34:56.750913203+00:00 stdout Fx")).isNull();
        assertThat(header("2026-11-28T05:34:56.750913203+00:00 stdout")).isNull();
        assertThat(header("")).isNull();
    }

    @Test
    void aReusedHeaderParsesEachLinesOwnTime() {
        K8sLogFormat.Header h = new K8sLogFormat.Header();
        String[] times = {"2026-11-28T05:34:56.750913203+00:00", "2026-11-28T05:34:56.000000001+00:00",
                "2026-11-28T05:34:57.5+00:00", "2026-11-28T05:34:57.5+02:00", "2026-11-28T05:34:57.5Z",
                "2026-12-28T05:34:57.5Z", "2026-12-28T05:34:57Z", "2026-12-28T05:34:57.25-01:30"};
        for (String time : times) {
            byte[] line = (time + " stdout F x").getBytes(StandardCharsets.UTF_8);
            assertThat(K8sLogFormat.parseHeader(line, 0, line.length, h)).isTrue();
            assertThat(h.timeNanos()).as(time).isEqualTo(K8sLogFormat.parseTime(time.getBytes(StandardCharsets.UTF_8), 0, time.length()));
        }
        byte[] bad = "2026-12-28T05:34:57.25-01:3x stdout F x".getBytes(StandardCharsets.UTF_8);
        assertThat(K8sLogFormat.parseHeader(bad, 0, bad.length, h)).isFalse();
    }

    @Test
    void indexOfFindsTheFirstMatchAtAnyAlignmentAndByteValue() {
        java.util.Random random = new java.util.Random(10);
        byte[] values = {'\n', ' ', 0, (byte) 0x8A, (byte) 0xFF, 0x7F};
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = values[random.nextInt(values.length)];
            }
            byte value = values[random.nextInt(values.length)];
            int from = b.length == 0 ? 0 : random.nextInt(b.length);
            int end = from + random.nextInt(b.length - from + 1);
            int expected = -1;
            for (int i = from; i < end; i++) {
                if (b[i] == value) {
                    expected = i;
                    break;
                }
            }
            assertThat(K8sLogFormat.indexOf(b, from, end, value)).isEqualTo(expected);
        }
    }
}
