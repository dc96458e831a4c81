package dev.berth.exec.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeMountsTest {
    /** A busybox container's mountinfo under runc, as read from the host, with a volume, a --tmpfs and -v /dev/log. */
    private static final String MOUNTINFO = String.join("\n",
            "612 540 0:52 / / rw,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w",
            "613 612 0:55 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw",
            "614 612 0:56 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755",
            "615 614 0:57 / /dev/pts rw,nosuid,noexec,relatime - devpts devpts rw,gid=5,mode=620,ptmxmode=666",
            "616 612 0:58 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro",
            "617 616 0:30 / /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - cgroup2 cgroup rw",
            "618 614 0:54 / /dev/mqueue rw,nosuid,nodev,noexec,relatime - mqueue mqueue rw",
            "619 614 0:59 / /dev/shm rw,nosuid,nodev,noexec,relatime - tmpfs shm rw,size=65536k",
            "620 612 8:1 /var/lib/berth/volumes/v/_data /vol rw,relatime - ext4 /dev/sda1 rw",
            "621 612 0:60 / /run/my\\040tmp rw,relatime - tmpfs tmpfs rw",
            "622 612 8:1 /state/hosts /etc/hosts rw,relatime - ext4 /dev/sda1 rw",
            "623 614 0:5 /log /dev/log rw - devtmpfs udev rw",
            "624 613 0:5 /null /proc/kcore rw,nosuid - devtmpfs udev rw",
            "625 612 0:61 / /mnt/own rw,relatime - tmpfs none rw",
            "");

    @Test
    void the_runtimes_mounts_are_special_the_containers_own_are_not(@TempDir Path image) {
        RuntimeMounts mounts = RuntimeMounts.parse(MOUNTINFO, List.of("/vol", "/run/my tmp", "/etc/hosts", "/dev/log"), image);
        assertThat(mounts.special()).containsExactly("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue",
                "/dev/shm", "/proc/kcore");
        assertThat(RuntimeMounts.parse(MOUNTINFO, List.of("/proc"), image).special()).as("a bind of the host's /proc is the user's")
                .doesNotContain("/proc", "/proc/kcore").contains("/dev", "/sys");
    }

    @Test
    void paths_in_special_mounts_are_the_images_except_on_the_way_to_the_containers_own(@TempDir Path image) throws Exception {
        Files.createDirectories(image.resolve("dev"));
        RuntimeMounts mounts = RuntimeMounts.parse(MOUNTINFO, List.of("/vol", "/dev/log", "/dev/bus/usb"), image);
        Path live = Path.of("/proc/1/root/.");
        assertThat(mounts.hostOf("/etc/passwd", live.resolve("etc/passwd"))).isEqualTo(live.resolve("etc/passwd"));
        assertThat(mounts.hostOf("/mnt/own/x", live.resolve("mnt/own/x"))).as("a mount the container made itself")
                .isEqualTo(live.resolve("mnt/own/x"));
        assertThat(mounts.hostOf("/proc", live.resolve("proc"))).isEqualTo(image.resolve("proc"));
        assertThat(mounts.hostOf("/proc/1/status", live.resolve("proc/1/status"))).isEqualTo(image.resolve("proc/1/status"));
        assertThat(mounts.hostOf("/sys/kernel", live.resolve("sys/kernel"))).isEqualTo(image.resolve("sys/kernel"));
        assertThat(mounts.hostOf("/dev/null", live.resolve("dev/null"))).isEqualTo(image.resolve("dev/null"));
        assertThat(mounts.hostOf("/dev", live.resolve("dev"))).as("on the way to /dev/log, the image has it")
                .isEqualTo(image.resolve("dev"));
        assertThat(mounts.hostOf("/dev/bus", live.resolve("dev/bus"))).as("on the way, the image lacks it")
                .isEqualTo(live.resolve("dev/bus"));
        assertThat(mounts.hostOf("/dev/log", live.resolve("dev/log"))).isEqualTo(live.resolve("dev/log"));
        assertThat(mounts.hostOf("/dev/bus/usb/001", live.resolve("dev/bus/usb/001"))).isEqualTo(live.resolve("dev/bus/usb/001"));
        assertThat(RuntimeMounts.NONE.hostOf("/proc", live.resolve("proc"))).isEqualTo(live.resolve("proc"));
    }
}
