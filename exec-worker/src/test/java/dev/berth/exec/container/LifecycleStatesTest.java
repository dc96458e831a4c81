package dev.berth.exec.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class LifecycleStatesTest {
    private static Container container() {
        return new Container("c".repeat(64), "name", Instant.now(), "sha256:x", Configs.config("{\"Image\":\"busybox\"}"), null,
                null, "host", Path.of("/tmp/none"), Path.of("/tmp/none/log"));
    }

    @Test
    void dockersMovesAreAllowedAndOthersAreNot() {
        assertThat(Status.CREATED.canMoveTo(Status.RUNNING)).isTrue();
        assertThat(Status.RUNNING.canMoveTo(Status.EXITED)).isTrue();
        assertThat(Status.EXITED.canMoveTo(Status.RUNNING)).isTrue();
        assertThat(Status.EXITED.canMoveTo(Status.REMOVING)).isTrue();
        assertThat(Status.RUNNING.canMoveTo(Status.REMOVING)).isFalse();
        assertThat(Status.REMOVING.canMoveTo(Status.RUNNING)).isFalse();
        assertThat(Status.CREATED.canMoveTo(Status.EXITED)).isFalse();
    }

    @Test
    void aContainerRefusesAMoveTheTableForbids() {
        Container c = container();
        c.markRunning(10, 11, null, false, "/rootfs");
        assertThatThrownBy(c::markRemoving).isInstanceOf(IllegalStateException.class).hasMessageContaining("running to removing");
        c.markExited(0, false, null);
        c.markRemoving();
        assertThat(c.status()).isEqualTo(Status.REMOVING);
    }

    @Test
    void anExitCompletesTheWaitersOfThatRunOnly() {
        Container c = container();
        c.markRunning(10, 11, null, false, "/rootfs");
        CompletableFuture<Container.ExitReport> first = c.nextExit();
        c.markExited(3, false, null);
        assertThat(first).isCompletedWithValue(new Container.ExitReport(3, null));
        assertThat(c.nextExit()).isNotDone();
    }

    @Test
    void whatTheExitAnnouncesComesBeforeTheWaitersHearOfItEvenWhenItFails() {
        Container c = container();
        c.markRunning(10, 11, null, false, "/rootfs");
        List<String> order = new ArrayList<>();
        c.nextExit().thenRun(() -> order.add("waiter"));
        c.markExited(0, false, null, () -> order.add("announced as " + c.status()));
        assertThat(order).containsExactly("announced as EXITED", "waiter");

        c.markRunning(10, 11, null, false, "/rootfs");
        CompletableFuture<Container.ExitReport> next = c.nextExit();
        assertThatThrownBy(() -> c.markExited(1, false, null, () -> {
            throw new IllegalStateException("disk full");
        })).hasMessage("disk full");
        assertThat(next).isCompletedWithValue(new Container.ExitReport(1, null));
    }

    @Test
    void operationsRunOneAfterAnotherInTheOrderQueuedWhateverTheirOutcome() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            Container c = container();
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Void> gate = new CompletableFuture<>();
            List<CompletableFuture<Integer>> results = new ArrayList<>();
            results.add(c.serially(executor, () -> gate.thenApply(v -> {
                order.add(0);
                return 0;
            })));
            results.add(c.serially(executor, () -> {
                order.add(1);
                throw new IllegalStateException("fails");
            }));
            for (int i = 2; i < 10; i++) {
                int index = i;
                results.add(c.serially(executor, () -> {
                    order.add(index);
                    return CompletableFuture.completedFuture(index);
                }));
            }
            Thread.sleep(100);
            assertThat(order).as("nothing runs while the first operation waits").isEmpty();
            gate.complete(null);
            results.get(results.size() - 1).get();
            assertThat(order).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(results.get(1)).isCompletedExceptionally();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void anExitWaitEndsAtTheExitOrAtItsTimeout() throws Exception {
        CompletableFuture<Container.ExitReport> exit = new CompletableFuture<>();
        CompletableFuture<Boolean> never = ContainerStopper.exited(new CompletableFuture<>(), 0);
        assertThat(never.get()).isFalse();
        CompletableFuture<Boolean> waiting = ContainerStopper.exited(exit, -1);
        assertThat(waiting).isNotDone();
        exit.complete(new Container.ExitReport(0, null));
        assertThat(waiting.get()).isTrue();
        assertThat(exit).isCompleted();
    }
}
