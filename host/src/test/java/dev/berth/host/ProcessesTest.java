package dev.berth.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessesTest {
    @Test
    void aZombieIsNotRunningThoughSignalZeroStillFindsIt() throws Exception {
        Processes processes = Processes.linux();
        assertThat(processes.isRunning((int) ProcessHandle.current().pid())).isTrue();
        // A parent that forks, never waits and sleeps: its child stays a zombie while the parent lives.
        Process parent = new ProcessBuilder("perl", "-e",
                "$SIG{CHLD} = 'DEFAULT'; $| = 1; my $pid = fork(); exit 0 if $pid == 0; print \"$pid\\n\"; sleep 5").start();
        try {
            // One line, not a fixed byte count: that would wait for the parent to exit, and then
            // the orphan is reaped by init, at once on most machines (the cause of a red CI run).
            int child = Integer.parseInt(new java.io.BufferedReader(
                    new java.io.InputStreamReader(parent.getInputStream())).readLine().trim());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (processes.isRunning(child) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(processes.isRunning(child)).isFalse();
            assertThat(processes.isAlive(child)).isTrue();
            assertThat(parent.isAlive()).as("the zombie's parent outlived the checks").isTrue();
        } finally {
            parent.destroyForcibly().waitFor();
        }
        assertThat(processes.isRunning(0)).isFalse();
    }
}
