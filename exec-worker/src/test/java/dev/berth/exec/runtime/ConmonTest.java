package dev.berth.exec.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync protocol with conmon, against small scripts that behave as conmon does at the edges:
 * its first process exits at once, and the report comes later from the process it forked.
 */
class ConmonTest {
    @TempDir
    Path dir;

    @Test
    void runtimeLogLinesBecomeTheirMessages() {
        String stderr = "time=\"2026-11-28T06:13:59Z\" level=error msg=\"runc create failed: unable to start container process: "
                + "exec: \\\"nonexistent\\\": executable file not found in $PATH\"\n";
        assertThat(Conmon.cleanRuntimeMessage(stderr)).isEqualTo(
                "runc create failed: unable to start container process: exec: \"nonexistent\": executable file not found in $PATH");
        assertThat(Conmon.cleanRuntimeMessage("plain failure\n\n")).isEqualTo("plain failure");
    }

    private Conmon conmonRunning(String script) throws Exception {
        Path fake = dir.resolve("conmon");
        Files.writeString(fake, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        return new Conmon(fake.toString(), new OciRuntime("/bin/true", dir.resolve("runtime")), dir.resolve("exits"));
    }

    private ConmonLaunch launch() {
        return new ConmonLaunch("c0ffee", "name", dir.resolve("bundle"), dir.resolve("container.log"), false, false, false);
    }

    @Test
    void aReportWrittenAfterTheFirstProcessExitedArrives() throws Exception {
        // The first process exits before its child reports: the race that lost reports when the
        // sync pipe was the JDK's stdout pipe of the process.
        Conmon conmon = conmonRunning("( sleep 0.3; echo '{\"data\": 4242}' >&3 ) &\nexit 0");
        for (int i = 0; i < 3; i++) {
            assertThat(conmon.launch(launch())).isEqualTo(4242);
        }
        assertThat(dir.resolve("bundle").resolve("sync")).doesNotExist();
    }

    @Test
    void aRuntimeFailureCarriesTheRuntimesMessage() throws Exception {
        Conmon conmon = conmonRunning("echo '{\"data\": -1, \"message\": \"runc create failed: exec: \\\\\"x\\\\\": executable file not found in $PATH\"}' >&3");
        assertThatThrownBy(() -> conmon.launch(launch()))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).isEqualTo(
                            "OCI runtime create failed: runc create failed: exec: \"x\": executable file not found in $PATH");
                });
    }

    @Test
    void aConmonThatFailsSaysHowAndWhy() throws Exception {
        Conmon conmon = conmonRunning("echo 'conmon: bad option --frobnicate' >&2\nexit 3");
        assertThatThrownBy(() -> conmon.launch(launch()))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.getMessage())
                        .contains("exit status 3").contains("bad option --frobnicate"));
    }

    @Test
    void aConmonThatGoesAwayWithoutReportingIsNoticedAtOnce() throws Exception {
        Conmon conmon = conmonRunning("( sleep 0.2; echo 'runtime vanished' >&2 ) &\nexit 0");
        long started = System.nanoTime();
        assertThatThrownBy(() -> conmon.launch(launch()))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.getMessage())
                        .startsWith("conmon exited without reporting the container").contains("runtime vanished"));
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(10_000L);
    }
}
