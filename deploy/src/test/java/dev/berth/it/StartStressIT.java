package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The start path never fails by chance: hundreds of `docker run --rm` with the real CLI, one
 * after another and from parallel clients, and every one of them prints what it was asked to and
 * exits 0. A single failure fails the test with the CLI's own error.
 */
class StartStressIT {
    private static final int SEQUENTIAL_RUNS = 300;
    private static final int PARALLEL_RUNS = 200;
    private static final int PARALLEL_CLIENTS = 8;

    private static BerthDaemon berth;

    @BeforeAll
    static void start() throws Exception {
        berth = BerthDaemon.start();
        berth.loadBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    private static String runOnce(int index) throws Exception {
        CliResult run = berth.docker("run", "--rm", "busybox", "echo", "run-" + index);
        if (run.exitCode() != 0 || !run.stdout().equals("run-" + index + "\n")) {
            return "run " + index + " exited " + run.exitCode() + ", stdout '" + run.stdout() + "', stderr '" + run.stderr() + "'";
        }
        return null;
    }

    @Test
    void threeHundredRunsOneAfterAnother() throws Exception {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < SEQUENTIAL_RUNS; i++) {
            String failure = runOnce(i);
            if (failure != null) {
                failures.add(failure);
            }
        }
        assertThat(failures).as("failed runs").isEmpty();
        assertThat(berth.docker("ps", "-aq").out()).isEmpty();
    }

    @Test
    void twoHundredRunsFromEightClientsAtOnce() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(PARALLEL_CLIENTS);
        try {
            List<Future<String>> runs = new ArrayList<>();
            for (int i = 0; i < PARALLEL_RUNS; i++) {
                int index = i;
                runs.add(clients.submit(() -> runOnce(index)));
            }
            List<String> failures = new ArrayList<>();
            for (Future<String> run : runs) {
                String failure = run.get();
                if (failure != null) {
                    failures.add(failure);
                }
            }
            assertThat(failures).as("failed runs").isEmpty();
        } finally {
            clients.shutdownNow();
        }
        assertThat(berth.docker("ps", "-aq").out()).isEmpty();
    }
}
