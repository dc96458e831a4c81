package dev.berth.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir
    Path temp;

    @Test
    void deletesNestedTreeAndKeepsSymlinkTargets() throws Exception {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "x");
        Path root = Files.createDirectories(temp.resolve("root/a/b"));
        Files.writeString(root.resolve("f"), "y");
        Files.createSymbolicLink(temp.resolve("root/a/link"), outside);

        FileTrees.deleteTree(temp.resolve("root"));

        assertThat(temp.resolve("root")).doesNotExist();
        assertThat(outside.resolve("keep")).exists();
    }

    @Test
    void missingRootIsNothingToDo() throws Exception {
        FileTrees.deleteTree(temp.resolve("absent"));
        assertThat(temp.resolve("absent")).doesNotExist();
    }

    /** conmon unlinks its attach socket and exit file while the exec's directory is removed. */
    @Test
    void entriesVanishingDuringTheWalkAreNotErrors() throws Exception {
        for (int round = 0; round < 200; round++) {
            Path root = Files.createDirectories(temp.resolve("r" + round));
            for (int i = 0; i < 50; i++) {
                Files.createDirectories(root.resolve("d" + i));
                Files.writeString(root.resolve("d" + i).resolve("f"), "z");
            }
            CountDownLatch go = new CountDownLatch(1);
            AtomicBoolean failed = new AtomicBoolean();
            Thread racer = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 49; i >= 0; i--) {
                        Files.deleteIfExists(root.resolve("d" + i).resolve("f"));
                        Files.deleteIfExists(root.resolve("d" + i));
                    }
                } catch (Exception e) {
                    // the walk removed it first: the race this test is after
                }
            });
            racer.start();
            go.countDown();
            try {
                FileTrees.deleteTree(root);
            } catch (Exception e) {
                failed.set(true);
                throw e;
            } finally {
                racer.join();
            }
            assertThat(root).doesNotExist();
            assertThat(failed).isFalse();
        }
    }
}
