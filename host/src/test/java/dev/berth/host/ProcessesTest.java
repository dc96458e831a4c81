package dev.berth.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessesTest {
    @Test
    void aZombieIsNotRunningThoughSignalZeroStillFindsIt() throws Exception {
        Processes processes = Processes.linux();
        assertThat(processes.isRunning((int) ProcessHandle.current().pid())).isTrue();
        // The shell's child exits at once and stays a zombie until the shell, asleep, reaps it.
        Process shell = new ProcessBuilder("/bin/sh", "-c", "true & echo $!; exec sleep 5").start();
        try {
            int child = Integer.parseInt(new String(shell.getInputStream().readNBytes(16)).trim());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (processes.isRunning(child) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(processes.isRunning(child)).isFalse();
            assertThat(processes.isAlive(child)).isTrue();
        } finally {
            shell.destroyForcibly().waitFor();
        }
        assertThat(processes.isRunning(0)).isFalse();
    }
}
