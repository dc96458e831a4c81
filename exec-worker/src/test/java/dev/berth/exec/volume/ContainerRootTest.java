package dev.berth.exec.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerRootTest {
    private static MountSpec bind(String source, String destination, boolean readOnly) {
        return new MountSpec(MountSpec.BIND, "", source, destination, readOnly, "", "rprivate", true, List.of(), false, false,
                false, true);
    }

    @Test
    void symlinks_resolve_inside_the_root_and_dotdot_stops_there(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/../../../etc"));
        Files.createSymbolicLink(root.resolve("rel"), Path.of("../../../../etc"));
        ContainerRoot container = new ContainerRoot(root, List.of(), false, false);

        assertThat(container.resolveFully("/abs/passwd").host()).isEqualTo(root.resolve("etc/passwd"));
        assertThat(container.resolveFully("rel/passwd").host()).isEqualTo(root.resolve("etc/passwd"));
        assertThat(container.resolveFully("/../../etc/../../etc/hosts").containerPath()).isEqualTo("/etc/hosts");
        // the last element is taken as it is: the link itself
        assertThat(container.resolveParent("/abs").host()).isEqualTo(root.resolve("abs"));
        assertThat(container.resolveParent("/abs/").host()).isEqualTo(root.resolve("abs"));
        assertThat(container.resolveParent("/").host()).isEqualTo(root);
    }

    @Test
    void a_stopped_containers_mounts_map_onto_their_sources(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.createSymbolicLink(root.resolve("link"), Path.of("/data/sub"));
        ContainerRoot stopped = new ContainerRoot(root, List.of(bind(data.toString(), "/data", true)), true, true);

        ContainerRoot.Resolved resolved = stopped.resolveFully("/link/file");
        assertThat(resolved.host()).isEqualTo(data.resolve("sub/file"));
        assertThat(resolved.containerPath()).isEqualTo("/data/sub/file");
        assertThatThrownBy(() -> stopped.checkWritable(resolved)).hasMessage("mounted volume is marked read-only");
        assertThatThrownBy(() -> stopped.checkWritable(stopped.resolveFully("/etc")))
                .hasMessage("container rootfs is marked read-only");
        assertThat(stopped.resolveFully("/database").host()).isEqualTo(root.resolve("database"));
        assertThat(stopped.resolveParent("/data").host()).as("the mount, not its mount point").isEqualTo(data);

        ContainerRoot running = new ContainerRoot(root, List.of(bind(data.toString(), "/data", false)), false, false);
        assertThat(running.resolveFully("/data/x").host()).isEqualTo(root.resolve("data/x"));
        running.checkWritable(running.resolveFully("/data/x"));
    }

    @Test
    void a_running_containers_proc_sys_and_dev_are_the_images_directories(@TempDir Path dir) throws Exception {
        Path live = Files.createDirectories(dir.resolve("live"));
        Path image = Files.createDirectories(dir.resolve("image"));
        Files.createDirectories(image.resolve("proc"));
        Files.createDirectories(live.resolve("proc/1"));
        Files.writeString(live.resolve("proc/1/status"), "Name: sh\n");
        Files.createSymbolicLink(live.resolve("proc/self"), Path.of("1"));
        Files.createSymbolicLink(live.resolve("proc/1/root"), Path.of("/"));
        Files.createDirectories(live.resolve("etc"));
        Files.createSymbolicLink(live.resolve("etc/mtab"), Path.of("/proc/self/mounts"));
        RuntimeMounts runtime = RuntimeMounts.parse("1 0 0:1 / / rw - overlay overlay rw\n2 1 0:2 / /proc rw - proc proc rw\n",
                List.of(), image);
        ContainerRoot running = new ContainerRoot(live, List.of(), false, false, runtime);

        assertThat(running.resolveParent("/proc").host()).isEqualTo(image.resolve("proc"));
        assertThat(running.resolveParent("/proc/1/status").host()).doesNotExist();
        assertThat(running.resolveFully("/proc/self/status").containerPath()).as("links in /proc are not read")
                .isEqualTo("/proc/self/status");
        assertThat(running.resolveFully("/proc/1/root/etc").containerPath()).isEqualTo("/proc/1/root/etc");
        assertThat(running.resolveFully("/etc/mtab").host()).isEqualTo(image.resolve("proc/self/mounts"));
        assertThat(running.mountsBelow("/")).isEmpty();
    }

    @Test
    void a_walk_is_led_to_mount_points_its_directory_lacks(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("in-volume"), "v\n");
        ContainerRoot stopped = new ContainerRoot(root, List.of(bind(data.toString(), "/srv/data", false),
                bind(dir.resolve("hosts").toString(), "/etc/hosts", false)), true, false);
        assertThat(stopped.mountsBelow("/")).containsExactly("etc", "srv");
        assertThat(stopped.mountsBelow("/srv")).containsExactly("data");
        assertThat(stopped.hostOf("/srv/data/in-volume")).isEqualTo(data.resolve("in-volume"));
        assertThat(stopped.hostOf("/srv")).isEqualTo(root.resolve("srv"));
    }
}
