package dev.berth.it;

import static dev.berth.it.BerthDaemon.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.host.Mounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * berthd with --storage-driver vfs, driven by the real docker CLI: every image and container
 * operation on whole copies, nothing mounted under the data root, and a store made by one driver
 * refused to the other.
 */
class VfsStorageIT {
    @TempDir
    Path work;

    private static BerthDaemon berth;

    @BeforeAll
    static void start() throws Exception {
        berth = BerthDaemon.start("--storage-driver", "vfs");
        berth.loadBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    @Test
    void infoAndInspectNameTheDriverAndNothingIsMounted() throws Exception {
        assertThat(berth.docker("info", "--format", "{{.Driver}}").ok().trim()).isEqualTo("vfs");
        assertThat(berth.docker("image", "inspect", "--format", "{{.GraphDriver.Name}} {{.GraphDriver.Data}}", "busybox")
                .ok().trim()).isEqualTo("vfs map[]");
        String name = unique("inspect");
        berth.docker("run", "-d", "--name", name, "busybox", "sleep", "60").ok();
        assertThat(berth.docker("inspect", "--format", "{{.Driver}} {{.GraphDriver.Name}} {{.GraphDriver.Data}}", name).ok().trim())
                .isEqualTo("vfs vfs map[]");
        assertThat(Mounts.linux().mountsUnder(berth.dataRoot())).isEmpty();
        berth.docker("rm", "-f", name).ok();
    }

    @Test
    void runExecDiffCommitExportAndCpWorkOnCopies() throws Exception {
        assertThat(berth.docker("run", "--rm", "busybox", "sh", "-c", "echo written > /tmp/f; cat /tmp/f; rm /bin/ls; ls /bin/ls || echo gone")
                .ok()).isEqualTo("written\ngone\n");
        // the image is untouched by what a container did
        assertThat(berth.docker("run", "--rm", "busybox", "sh", "-c", "test -e /bin/ls && test ! -e /tmp/f && echo pristine").ok())
                .isEqualTo("pristine\n");

        String name = unique("vfs");
        berth.docker("run", "-d", "--name", name, "busybox", "sleep", "300").ok();
        berth.docker("exec", name, "sh", "-c", "echo hi > /tmp/new; rm /bin/ls; mkdir -p /a/b; ln -s /tmp/new /a/link").ok();
        assertThat(berth.docker("exec", name, "cat", "/tmp/new").ok()).isEqualTo("hi\n");
        assertThat(berth.docker("diff", name).ok()).isEqualTo("""
                A /a
                A /a/b
                A /a/link
                C /bin
                D /bin/ls
                C /tmp
                A /tmp/new
                """);

        Path file = Files.writeString(work.resolve("in.txt"), "from the host\n");
        berth.docker("cp", file.toString(), name + ":/tmp/in.txt").ok();
        assertThat(berth.docker("exec", name, "cat", "/tmp/in.txt").ok()).isEqualTo("from the host\n");
        Path back = work.resolve("back");
        berth.docker("cp", name + ":/tmp/new", back.toString()).ok();
        assertThat(Files.readString(back)).isEqualTo("hi\n");

        String image = unique("vfs-committed") + ":v1";
        berth.docker("commit", "-c", "CMD [\"cat\", \"/tmp/new\"]", name, image).ok();
        assertThat(berth.docker("run", "--rm", image).ok()).isEqualTo("hi\n");
        assertThat(berth.docker("run", "--rm", image, "sh", "-c",
                "test -e /bin/ls && echo ls-present || echo ls-gone; readlink /a/link; cat /tmp/in.txt").ok())
                .isEqualTo("ls-gone\n/tmp/new\nfrom the host\n");

        List<String> exported = List.of(berth.shell(BerthDaemon.DOCKER + " export " + name + " | tar t").ok().split("\n"));
        assertThat(exported).contains("tmp/new", "bin/sh", "a/link", "tmp/in.txt").doesNotContain("bin/ls");

        // a stopped container keeps its copy, and cp reaches it there
        berth.docker("stop", "-t", "0", name).ok();
        berth.docker("cp", file.toString(), name + ":/stopped.txt").ok();
        berth.docker("start", name).ok();
        assertThat(berth.docker("exec", name, "cat", "/stopped.txt", "/tmp/new").ok()).isEqualTo("from the host\nhi\n");

        Path copy = berth.dataRoot().resolve("image/snapshots").resolve(containerId(name)).resolve("rootfs");
        assertThat(copy.resolve("tmp/new")).hasContent("hi");
        berth.docker("rm", "-f", name).ok();
        assertThat(copy.getParent()).doesNotExist();
        berth.docker("rmi", image).ok();
        assertThat(Mounts.linux().mountsUnder(berth.dataRoot())).isEmpty();
    }

    @Test
    void aBuildWithCopyAndRunMakesWholeLayersThatRmiDeletes() throws Exception {
        Path context = Files.createDirectories(work.resolve("context"));
        Files.writeString(context.resolve("greeting.txt"), "hello from the context\n");
        Files.writeString(context.resolve("Dockerfile"), """
                FROM busybox
                COPY greeting.txt /greeting.txt
                RUN rm /bin/ls && echo ran > /ran
                CMD ["sh", "-c", "cat /greeting.txt /ran; test -e /bin/ls || echo no-ls"]
                """);
        String image = unique("vfs-built");
        berth.docker("build", "-t", image, context.toString()).ok();
        assertThat(berth.docker("run", "--rm", image).ok()).isEqualTo("hello from the context\nran\nno-ls\n");

        Path layers = berth.dataRoot().resolve("image/layers");
        int before = count(layers);
        berth.docker("rmi", image).ok();
        assertThat(count(layers)).isLessThan(before);
        assertThat(Mounts.linux().mountsUnder(berth.dataRoot())).isEmpty();
    }

    @Test
    void aDataRootMadeWithOverlay2IsRefusedToVfs() throws Exception {
        BerthDaemon overlay = BerthDaemon.start();
        Path dataRoot = overlay.dataRoot();
        try {
            overlay.loadBusybox();
            overlay.stop();
            String java = ProcessHandle.current().info().command().orElse("java");
            Process refused = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.berth.deploy.Berthd",
                    "-H", "unix://" + overlay.root().resolve("second.sock"), "--data-root", dataRoot.toString(),
                    "--exec-root", overlay.execRoot().toString(), "--pidfile", overlay.root().resolve("second.pid").toString(),
                    "--config-file", overlay.root().resolve("daemon.json").toString(), "--cgroup-parent", overlay.cgroupParent(),
                    "--bridge", overlay.bridge(), "--bip", overlay.bip(), "--storage-driver", "vfs")
                    .redirectErrorStream(true).start();
            String output = new String(refused.getInputStream().readAllBytes());
            assertThat(refused.waitFor()).isEqualTo(1);
            assertThat(output).contains("was made with the overlay2 storage driver, not vfs: start berthd with"
                    + " --storage-driver overlay2, or give it another --data-root");
            overlay.restart();
            assertThat(overlay.docker("info", "--format", "{{.Driver}}").ok().trim()).isEqualTo("overlay2");
            assertThat(overlay.docker("run", "--rm", "busybox", "echo", "still").ok()).isEqualTo("still\n");
        } finally {
            overlay.close();
        }
    }

    private static String containerId(String name) throws Exception {
        return berth.docker("inspect", "--format", "{{.Id}}", name).ok().trim();
    }

    private static int count(Path directory) throws Exception {
        try (Stream<Path> entries = Files.list(directory)) {
            return (int) entries.count();
        }
    }
}
