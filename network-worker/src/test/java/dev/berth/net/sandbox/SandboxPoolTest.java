package dev.berth.net.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Refill, take and release of the pool, with a maker of fake spares that records what becomes of them. */
class SandboxPoolTest {
    private static final Duration SOON = Duration.ofSeconds(10);

    private final AtomicInteger made = new AtomicInteger();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failing = new AtomicBoolean();

    private final class FakeSpare implements SpareSandbox {
        final String name = "spare" + made.incrementAndGet();

        @Override
        public void pin(Path path) {
            events.add("pin " + name);
        }

        @Override
        public void plugIn(String hostVeth, String bridge, String mac, String address, int prefixLength, String gateway) {
            events.add("plug " + name);
        }

        @Override
        public void close() {
            events.add("close " + name);
        }

        @Override
        public void discard() {
            events.add("discard " + name);
        }
    }

    /** Polls until the condition holds, or fails after SOON. */
    private static void until(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + SOON.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within " + SOON).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private SpareSandbox make() throws IOException {
        if (failing.get()) {
            throw new IOException("unshare: Operation not permitted");
        }
        return new FakeSpare();
    }

    @Test
    void startFillsThePoolAndARefillMakesUpForWhatWasTaken() throws Exception {
        try (SandboxPool pool = new SandboxPool(this::make, 2)) {
            pool.start();
            until(() -> pool.ready() == 2);
            assertThat(made).hasValue(2);

            SpareSandbox first = pool.take();
            SpareSandbox second = pool.take();
            assertThat(first).isNotNull().isNotSameAs(second);
            assertThat(((FakeSpare) first).name).isEqualTo("spare1");
            Thread.sleep(50);
            assertThat(made).as("nothing is made while the taker may still need the kernel").hasValue(2);
            pool.refill();
            until(() -> pool.ready() == 2);
            assertThat(made).hasValue(4);
            Thread.sleep(50);
            assertThat(made).as("never more than its size").hasValue(4);
        }
    }

    @Test
    void anEmptyPoolAnswersNullAndAFailingMakerIsTriedAgainAtTheNextRefill() throws Exception {
        failing.set(true);
        try (SandboxPool pool = new SandboxPool(this::make, 2)) {
            pool.start();
            assertThat(pool.take()).isNull();
            pool.refill();
            failing.set(false);
            assertThat(pool.take()).as("refills run behind the take").isNull();
            pool.refill();
            until(() -> pool.ready() == 2);
            assertThat(pool.take()).isNotNull();
        }
    }

    @Test
    void closingDiscardsTheSparesAndTakesNoneAfter() throws Exception {
        SandboxPool pool = new SandboxPool(this::make, 2);
        pool.start();
        until(() -> pool.ready() == 2);
        SpareSandbox taken = pool.take();
        pool.refill();
        until(() -> pool.ready() == 2);
        pool.close();
        assertThat(events).containsExactlyInAnyOrder("discard spare2", "discard spare3");
        assertThat(pool.ready()).isZero();
        assertThat(pool.take()).isNull();
        pool.refill();
        assertThat(made).as("no refill after closing").hasValue(3);
        taken.close();
        assertThat(events).contains("close spare1");
    }

    @Test
    void aSpareMadeWhileClosingIsDiscardedToo() throws Exception {
        CountDownLatch making = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SandboxPool pool = new SandboxPool(() -> {
            making.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return make();
        }, 1);
        pool.start();
        assertThat(making.await(10, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(pool::close);
        closer.start();
        until(() -> closer.getState() == Thread.State.TIMED_WAITING || closer.getState() == Thread.State.WAITING);
        release.countDown();
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(events).containsExactly("discard spare1");
        assertThat(pool.ready()).isZero();
    }
}
