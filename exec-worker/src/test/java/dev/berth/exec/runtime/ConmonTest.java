package dev.berth.exec.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConmonTest {
    @Test
    void runtimeLogLinesBecomeTheirMessages() {
        String stderr = "time=\"2026-11-28T06:13:59Z\" level=error msg=\"runc create failed: unable to start container process: "
                + "exec: \\\"nonexistent\\\": executable file not found in $PATH\"\n";
        assertThat(Conmon.cleanRuntimeMessage(stderr)).isEqualTo(
                "runc create failed: unable to start container process: exec: \"nonexistent\": executable file not found in $PATH");
        assertThat(Conmon.cleanRuntimeMessage("plain failure\n\n")).isEqualTo("plain failure");
    }
}
