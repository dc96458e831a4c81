package dev.berth.net.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The reaper's order of things, with a deletion that the test holds back. */
class VethReaperTest {
    private final List<String> done = new CopyOnWriteArrayList<>();
    private final CountDownLatch allowed = new CountDownLatch(1);

    private void slowDelete(String veth) throws IOException {
        try {
            allowed.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        done.add("deleted " + veth);
    }

    @Test
    void theCallerDoesNotWaitButWhatDependsOnTheDeletionDoes() throws Exception {
        try (VethReaper reaper = new VethReaper()) {
            reaper.deleteLater("vbaaaaaaaaaaaa", this::slowDelete, () -> done.add("address released"));
            assertThat(reaper.pending()).isEqualTo(1);
            assertThat(done).isEmpty();

            CompletableFuture<Void> sameName = CompletableFuture.runAsync(() -> {
                try {
                    reaper.awaitGone("vbaaaaaaaaaaaa");
                    done.add("new veth of the same name");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            reaper.awaitGone("vbbbbbbbbbbbbb");
            Thread.sleep(100);
            assertThat(sameName).isNotDone();

            allowed.countDown();
            sameName.get(10, TimeUnit.SECONDS);
            reaper.awaitAll();
            assertThat(done).containsExactly("deleted vbaaaaaaaaaaaa", "address released", "new veth of the same name");
            assertThat(reaper.pending()).isZero();
        }
    }

    @Test
    void aFailedDeletionKeepsWhatItWouldHaveReleased() throws Exception {
        try (VethReaper reaper = new VethReaper()) {
            reaper.deleteLater("vbaaaaaaaaaaaa", veth -> {
                throw new IOException("rtnetlink RTM_DELLINK: Device or resource busy");
            }, () -> done.add("address released"));
            reaper.deleteLater("vbbbbbbbbbbbbb", veth -> done.add("deleted " + veth), () -> done.add("second address released"));
            reaper.awaitAll();
            reaper.awaitGone("vbaaaaaaaaaaaa");
            assertThat(done).containsExactly("deleted vbbbbbbbbbbbbb", "second address released");
        }
    }

    @Test
    void closingFinishesTheDeletionsHandedOver() {
        VethReaper reaper = new VethReaper();
        reaper.deleteLater("vbaaaaaaaaaaaa", this::slowDelete, () -> done.add("address released"));
        reaper.deleteLater("vbbbbbbbbbbbbb", this::slowDelete, () -> done.add("second address released"));
        allowed.countDown();
        reaper.close();
        assertThat(done).containsExactly("deleted vbaaaaaaaaaaaa", "address released", "deleted vbbbbbbbbbbbbb",
                "second address released");
        assertThat(reaper.pending()).isZero();
    }
}
