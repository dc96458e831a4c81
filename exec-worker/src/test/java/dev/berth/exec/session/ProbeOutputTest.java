package dev.berth.exec.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProbeOutputTest {
    @Test
    void joinsStreamsInOrderAndPartialLines() {
        String log = "2026-12-02T01:00:00.1Z stdout F hello world\n"
                + "2026-12-02T01:00:00.2Z stderr P par\n"
                + "2026-12-02T01:00:00.3Z stderr F tial\n"
                + "2026-12-02T01:00:00.4Z stdout F \n";
        assertThat(ProbeOutput.parse(log)).isEqualTo("hello world\npartial\n\n");
    }

    @Test
    void cutsAtDockerdsLimit() {
        String log = "t stdout F " + "x".repeat(5000) + "\n";
        assertThat(ProbeOutput.parse(log)).hasSize(ProbeOutput.MAX_BYTES);
    }
}
