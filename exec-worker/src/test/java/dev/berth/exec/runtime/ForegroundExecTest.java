package dev.berth.exec.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.exec.attach.ProcessStdio;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ForegroundExec against a stand-in runtime (a shell script taking runc's arguments) that plays the
 * orders a real runc can take under load, which a real one shows only now and then.
 */
class ForegroundExecTest {
    @TempDir
    Path dir;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /** A runtime script: it finds --log and --pid-file among runc's arguments, then runs {@code body}. */
    private OciRuntime runtime(String body) throws Exception {
        Path script = dir.resolve("fake-runc");
        Files.writeString(script, """
                #!/bin/sh
                while [ $# -gt 0 ]; do
                    case "$1" in
                        --log) log=$2; shift ;;
                        --pid-file) pidfile=$2; shift ;;
                    esac
                    shift
                done
                echo 4242 > "$pidfile"
                exec 3>"$log"
                """ + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return new OciRuntime(script.toString(), dir.resolve("root"));
    }

    private static String stdoutOf(ProcessStdio stdio) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] packet = new byte[64 * 1024];
        int n;
        while ((n = stdio.receive(packet)) >= 0) {
            if (packet[0] == ProcessStdio.STDOUT) {
                out.write(packet, 1, n - 1);
            }
        }
        return out.toString();
    }

    /** The exec's stdout, read on another thread so that the test can wait for the exit meanwhile. */
    private Future<String> stdoutInBackground(ProcessStdio stdio) {
        return executor.submit(() -> stdoutOf(stdio));
    }

    @Test
    @Timeout(20)
    void outputTheRuntimeCopiesAfterLoggingTheExitIsKept() throws Exception {
        // runc logs "process exited" when it reaps the process; its copier may write the
        // process's last output to the FIFO well after that.
        OciRuntime oci = runtime("""
                echo '{"level":"debug","msg":"process exited","pid":4242,"status":0}' >&3
                sleep 0.5
                echo web-on-front
                """);
        Path spec = Files.writeString(dir.resolve("process.json"), "{}");
        ForegroundExec exec = ForegroundExec.viaRuntime(oci, "c1", dir.resolve("exec"), spec, false, executor);
        Future<String> output = stdoutInBackground(exec);
        assertThat(exec.awaitExit()).isZero();
        assertThat(output.get()).isEqualTo("web-on-front\n");
    }

    @Test
    @Timeout(20)
    void aRuntimeHeldOpenByABackgroundChildIsEndedAfterTheExit() throws Exception {
        OciRuntime oci = runtime("""
                echo started
                echo '{"level":"debug","msg":"process exited","pid":4242,"status":3}' >&3
                exec sleep 600
                """);
        Path spec = Files.writeString(dir.resolve("process.json"), "{}");
        ForegroundExec exec = ForegroundExec.viaRuntime(oci, "c2", dir.resolve("exec"), spec, false, executor);
        Future<String> output = stdoutInBackground(exec);
        long start = System.nanoTime();
        assertThat(exec.awaitExit()).isEqualTo(3);
        assertThat(output.get()).isEqualTo("started\n");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    }
}
