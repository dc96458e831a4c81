package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.host.FileOps;
import dev.berth.host.Mounts;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docker cp both ways, through the real docker CLI. */
class CopyIT {
    private static BerthDaemon berth;
    private static Path host;

    @BeforeAll
    static void start() throws Exception {
        berth = BerthDaemon.start();
        berth.loadBusybox();
        host = Files.createTempDirectory("berth-copy-it-");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            berth.close();
        } finally {
            try (Stream<Path> walk = Files.walk(host)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @AfterEach
    void removeContainers() throws Exception {
        berth.removeAllContainers();
    }

    private static int mode(Path path) throws Exception {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    @Test
    void a_round_trip_through_a_stopped_container_keeps_modes_owners_and_links() throws Exception {
        FileOps files = FileOps.linux();
        Path source = Files.createDirectories(host.resolve("round/src"));
        Path tool = Files.writeString(source.resolve("tool.sh"), "#!/bin/sh\necho tool\n");
        files.lchown(tool, 1234, 5678);
        files.chmod(tool, 04750);
        Path sub = Files.createDirectories(source.resolve("sub"));
        files.chmod(sub, 0700);
        Files.writeString(sub.resolve("deep.txt"), "deep\n");
        Files.createSymbolicLink(source.resolve("outside"), Path.of("/etc/shadow"));
        Files.createSymbolicLink(source.resolve("climb"), Path.of("../../../../etc"));

        berth.docker("create", "--name", "copy-it-stopped", "busybox", "sh", "-c",
                "stat -c '%a %u:%g %n' /data/tool.sh /data/sub; readlink /data/outside; readlink /data/climb; cat /data/sub/deep.txt; "
                        + "rm /data/climb").ok();
        berth.docker("cp", source.toString(), "copy-it-stopped:/data").ok();
        assertThat(Mounts.linux().mountsUnder(berth.dataRoot())).as("the snapshot is unmounted after the copy").isEmpty();

        berth.docker("start", "-a", "copy-it-stopped").ok();
        assertThat(berth.docker("logs", "copy-it-stopped").ok())
                .isEqualTo("4750 1234:5678 /data/tool.sh\n700 0:0 /data/sub\n/etc/shadow\n../../../../etc\ndeep\n");

        // (the CLI itself refuses to write a relative link that climbs out of its target: gone before the copy back)
        Path back = host.resolve("round/back");
        berth.docker("cp", "copy-it-stopped:/data", back.toString()).ok();
        assertThat(Mounts.linux().mountsUnder(berth.dataRoot())).isEmpty();
        assertThat(Files.readString(back.resolve("tool.sh"))).isEqualTo("#!/bin/sh\necho tool\n");
        assertThat(mode(back.resolve("tool.sh"))).isEqualTo(04750);
        assertThat(mode(back.resolve("sub"))).isEqualTo(0700);
        assertThat(Files.readSymbolicLink(back.resolve("outside"))).isEqualTo(Path.of("/etc/shadow"));
        assertThat(back.resolve("climb")).doesNotExist();
        assertThat(Files.readString(back.resolve("sub/deep.txt"))).isEqualTo("deep\n");
    }

    @Test
    void copies_out_of_and_into_a_running_container_with_tar_on_stdout_and_stdin() throws Exception {
        berth.docker("run", "-d", "--name", "copy-it-running", "-v", "copy-it-vol:/vol", "busybox", "sh", "-c",
                "echo made inside > /tmp/inside.txt; sleep 60").ok();
        String tar = berth.shell(BerthDaemon.DOCKER + " cp copy-it-running:/tmp/inside.txt - | tar -xO").ok();
        assertThat(tar).isEqualTo("made inside\n");

        Path input = Files.createDirectories(host.resolve("stdin"));
        Files.writeString(input.resolve("in.txt"), "from stdin\n");
        berth.shell("tar -c -C " + input + " in.txt | " + BerthDaemon.DOCKER + " cp - copy-it-running:/vol").ok();
        Path volume = Path.of(berth.docker("volume", "inspect", "-f", "{{.Mountpoint}}", "copy-it-vol").ok().trim());
        assertThat(Files.readString(volume.resolve("in.txt"))).as("the copy went into the container's volume")
                .isEqualTo("from stdin\n");

        // The container's root itself: /proc/PID/root is a link on the host, "/" inside is not.
        Path file = Files.writeString(host.resolve("to-root.txt"), "at the root\n");
        berth.docker("cp", file.toString(), "copy-it-running:/renamed.txt").ok();
        assertThat(berth.docker("exec", "copy-it-running", "cat", "/renamed.txt").ok()).isEqualTo("at the root\n");
        String head = berth.rawRequest("HEAD", "/containers/copy-it-running/archive?path=/", null, null);
        String encoded = head.lines().filter(line -> line.toLowerCase().startsWith("x-docker-container-path-stat:"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElseThrow();
        String stat = new String(java.util.Base64.getDecoder().decode(encoded), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(new io.vertx.core.json.JsonObject(stat).getLong("mode") & (1L << 31)).as("a directory: %s", stat).isNotZero();
    }

    @Test
    void symlinks_in_the_container_resolve_inside_it_never_on_the_host() throws Exception {
        Path hostTarget = Files.createDirectories(host.resolve("must-stay-empty"));
        berth.docker("run", "--name", "copy-it-links", "busybox", "sh", "-c",
                "echo container-greeting > /etc/greeting; ln -s /../../../../../etc /etclink; ln -s " + hostTarget
                        + " /escape").ok();

        Path out = host.resolve("links-out");
        berth.docker("cp", "copy-it-links:/etclink/greeting", out.toString()).ok();
        assertThat(Files.readString(out)).isEqualTo("container-greeting\n");

        Path file = Files.writeString(host.resolve("payload.txt"), "payload\n");
        CliResult into = berth.docker("cp", file.toString(), "copy-it-links:/escape/");
        assertThat(into.exitCode()).isNotZero();
        try (Stream<Path> entries = Files.list(hostTarget)) {
            assertThat(entries).isEmpty();
        }

        // a stopped container's /etc/hostname is the one it ran with, not the image's
        Path hostname = host.resolve("hostname-out");
        berth.docker("cp", "copy-it-links:/etc/hostname", hostname.toString()).ok();
        assertThat(Files.readString(hostname).trim())
                .isEqualTo(berth.docker("inspect", "-f", "{{.Config.Hostname}}", "copy-it-links").ok().trim());

        CliResult missing = berth.docker("cp", "copy-it-links:/no/such/file", host.resolve("x").toString());
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("Could not find the file /no/such/file in container copy-it-links");
        assertThat(Mounts.linux().mountsUnder(berth.dataRoot())).isEmpty();
    }

    @Test
    void a_read_only_container_refuses_a_copy_into_its_root() throws Exception {
        berth.docker("create", "--name", "copy-it-ro", "--read-only", "busybox", "true").ok();
        Path file = Files.writeString(host.resolve("ro.txt"), "x\n");
        CliResult refused = berth.docker("cp", file.toString(), "copy-it-ro:/tmp/");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("container rootfs is marked read-only");
    }

    /** The entries of `docker cp ctr:/ -`, named without a leading "./" or "/". */
    private static List<String> rootListing(String container) throws Exception {
        String listing = berth.shell(BerthDaemon.DOCKER + " cp " + container + ":/ - | tar -t").ok();
        return listing.lines().map(line -> line.replaceFirst("^\\./", "").replaceFirst("^/+", ""))
                .filter(line -> !line.isEmpty()).toList();
    }

    @Test
    void the_root_of_a_container_is_its_files_volumes_and_host_files_not_proc_or_sys() throws Exception {
        Path bound = Files.createDirectories(host.resolve("bound-under-dev"));
        Files.writeString(bound.resolve("in-bind"), "b\n");
        berth.docker("run", "-d", "--name", "copy-it-root", "-v", "copy-it-root-vol:/vol", "-v", bound + ":/dev/berth-bind",
                "--tmpfs", "/scratch", "busybox", "sleep", "60").ok();
        berth.docker("exec", "copy-it-root", "sh", "-c",
                "echo v > /vol/in-volume; echo t > /scratch/in-tmpfs; echo s > /dev/shm/in-shm").ok();

        List<String> running = rootListing("copy-it-root");
        assertThat(running).contains("bin/busybox", "etc/passwd", "vol/in-volume", "etc/hosts", "etc/hostname",
                "etc/resolv.conf", "scratch/in-tmpfs", "proc/", "sys/", "dev/", "dev/berth-bind/in-bind");
        assertThat(running).as("nothing of the kernel's /proc, /sys or the runtime's /dev")
                .noneMatch(entry -> entry.startsWith("proc/") && !entry.equals("proc/"))
                .noneMatch(entry -> entry.startsWith("sys/") && !entry.equals("sys/"))
                .doesNotContain("dev/shm/in-shm", "dev/null", "dev/pts/ptmx");
        String hosts = berth.shell(BerthDaemon.DOCKER + " cp copy-it-root:/ - | tar -xO etc/hosts").ok();
        assertThat(hosts).isEqualTo(berth.docker("exec", "copy-it-root", "cat", "/etc/hosts").ok());

        // paths that only the kernel has are absent, as dockerd (which sees the image's directories) says
        for (String path : new String[] {"/proc/1/status", "/sys/kernel", "/proc/self/root/etc/passwd"}) {
            CliResult absent = berth.shell(BerthDaemon.DOCKER + " cp copy-it-root:" + path + " - | tar -t");
            assertThat(absent.exitCode()).as(path).isNotZero();
            assertThat(absent.stderr()).contains("Could not find the file " + path + " in container copy-it-root");
        }
        assertThat(berth.shell(BerthDaemon.DOCKER + " cp copy-it-root:/proc - | tar -t").ok().lines().toList())
                .containsExactly("proc/");

        berth.docker("stop", "-t", "1", "copy-it-root").ok();
        List<String> stopped = rootListing("copy-it-root");
        assertThat(stopped).contains("bin/busybox", "etc/passwd", "vol/in-volume", "etc/hosts", "etc/hostname", "proc/", "sys/",
                        "dev/berth-bind/in-bind")
                .noneMatch(entry -> entry.startsWith("proc/") && !entry.equals("proc/"))
                .noneMatch(entry -> entry.startsWith("sys/") && !entry.equals("sys/"));
        assertThat(berth.shell(BerthDaemon.DOCKER + " cp copy-it-root:/ - | tar -xO etc/hosts").ok()).isEqualTo(hosts);
        assertThat(Mounts.linux().mountsUnder(berth.dataRoot())).isEmpty();
    }
}
