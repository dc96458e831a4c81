package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bind mounts, --mount and tmpfs through the real docker CLI. */
class MountsIT {
    private static BerthDaemon berth;
    private static Path host;

    @BeforeAll
    static void start() throws Exception {
        berth = BerthDaemon.start();
        berth.loadBusybox();
        host = Files.createTempDirectory("berth-mounts-it-");
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

    @Test
    void a_bind_mount_shares_files_both_ways_and_leaves_no_mount_behind() throws Exception {
        Path dir = Files.createDirectories(host.resolve("shared"));
        Files.writeString(dir.resolve("from-host"), "hello from the host\n");
        String out = berth.docker("run", "--name", "mounts-it-bind", "-v", dir + ":/data", "busybox",
                "sh", "-c", "cat /data/from-host && echo written > /data/from-container").ok();
        assertThat(out).isEqualTo("hello from the host\n");
        assertThat(Files.readString(dir.resolve("from-container"))).isEqualTo("written\n");
        berth.docker("rm", "mounts-it-bind").ok();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(dir.toString());
    }

    @Test
    void a_read_only_bind_refuses_writes() throws Exception {
        Path dir = Files.createDirectories(host.resolve("readonly"));
        CliResult write = berth.docker("run", "--rm", "-v", dir + ":/data:ro", "busybox", "sh", "-c", "echo x > /data/f");
        assertThat(write.exitCode()).isNotZero();
        assertThat(write.stderr()).contains("Read-only file system");
        CliResult viaMount = berth.docker("run", "--rm", "--mount", "type=bind,source=" + dir + ",target=/data,readonly",
                "busybox", "touch", "/data/f");
        assertThat(viaMount.exitCode()).isNotZero();
        assertThat(viaMount.stderr()).contains("Read-only file system");
        assertThat(dir.resolve("f")).doesNotExist();
    }

    @Test
    void v_makes_a_missing_host_directory_and_mount_refuses_it() throws Exception {
        Path missing = host.resolve("made-by-v/inner");
        berth.docker("run", "--rm", "-v", missing + ":/data", "busybox", "touch", "/data/ok").ok();
        assertThat(missing.resolve("ok")).exists();

        Path absent = host.resolve("absent");
        CliResult refused = berth.docker("run", "--rm", "--mount", "type=bind,source=" + absent + ",target=/data",
                "busybox", "true");
        assertThat(refused.exitCode()).isEqualTo(125);
        assertThat(refused.stderr()).contains("invalid mount config for type \"bind\": bind source path does not exist: " + absent);
        assertThat(absent).doesNotExist();
        assertThat(berth.docker("ps", "-aq").out()).isEmpty();
    }

    @Test
    void tmpfs_mounts_take_dockers_defaults_and_the_users_options() throws Exception {
        String mounts = berth.docker("run", "--rm", "--tmpfs", "/scratch:size=1m,mode=1770",
                "--mount", "type=tmpfs,target=/fast,tmpfs-size=2097152", "busybox", "cat", "/proc/mounts").ok();
        assertThat(mounts).containsPattern("tmpfs /scratch tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k,mode=1770")
                .containsPattern("tmpfs /fast tmpfs rw,nosuid,nodev,noexec,relatime,size=2048k");
    }

    @Test
    void read_only_root_with_writable_mounts() throws Exception {
        Path dir = Files.createDirectories(host.resolve("rw-under-ro"));
        String out = berth.docker("run", "--rm", "--read-only", "--tmpfs", "/run", "-v", dir + ":/data", "busybox", "sh", "-c",
                "touch /run/a && touch /data/b && echo mounts-ok; touch /etc/c 2>&1 || true").ok();
        assertThat(out).contains("mounts-ok").contains("Read-only file system");
        assertThat(dir.resolve("b")).exists();
    }

    @Test
    void inspect_shows_mounts_as_docker_does() throws Exception {
        Path dir = Files.createDirectories(host.resolve("inspected"));
        berth.docker("create", "--name", "mounts-it-inspect", "-v", dir + ":/data:ro", "--tmpfs", "/run",
                "--mount", "type=tmpfs,destination=/fast", "busybox", "true").ok();
        JsonArray mounts = new JsonArray(berth.docker("inspect", "-f", "{{json .Mounts}}", "mounts-it-inspect").ok());
        assertThat(mounts).hasSize(2);
        JsonObject bind = mounts.stream().map(m -> (JsonObject) m).filter(m -> "bind".equals(m.getString("Type")))
                .findFirst().orElseThrow();
        assertThat(bind).isEqualTo(new JsonObject().put("Type", "bind").put("Source", dir.toString())
                .put("Destination", "/data").put("Mode", "ro").put("RW", false).put("Propagation", "rprivate"));
        JsonObject tmpfs = mounts.stream().map(m -> (JsonObject) m).filter(m -> "tmpfs".equals(m.getString("Type")))
                .findFirst().orElseThrow();
        assertThat(tmpfs).isEqualTo(new JsonObject().put("Type", "tmpfs").put("Source", "").put("Destination", "/fast")
                .put("Mode", "").put("RW", true).put("Propagation", ""));
        assertThat(berth.docker("inspect", "-f", "{{json .HostConfig.Tmpfs}}", "mounts-it-inspect").ok().trim())
                .isEqualTo("{\"/run\":\"\"}");
        assertThat(berth.docker("ps", "-a", "--filter", "volume=/data", "--format", "{{.Names}}").out())
                .isEqualTo("mounts-it-inspect");
        assertThat(berth.docker("ps", "-a", "--filter", "volume=" + dir, "--format", "{{.Names}}").out())
                .isEqualTo("mounts-it-inspect");
        assertThat(berth.docker("ps", "-a", "--filter", "volume=/elsewhere", "-q").out()).isEmpty();
    }

    @Test
    void bad_specs_are_refused_with_dockerds_words() throws Exception {
        CliResult shared = berth.docker("run", "--rm", "-v", host + ":/data:rshared", "busybox", "true");
        assertThat(shared.exitCode()).isEqualTo(125);
        assertThat(shared.stderr()).contains("berth does not support bind propagation \"rshared\" yet");
        CliResult duplicate = berth.docker("run", "--rm", "-v", host + ":/data", "--tmpfs", "/data", "busybox", "true");
        assertThat(duplicate.exitCode()).isEqualTo(125);
        assertThat(duplicate.stderr()).contains("Duplicate mount point: /data");
        CliResult tmpfs = berth.docker("run", "--rm", "--tmpfs", "/t:bogus", "busybox", "true");
        assertThat(tmpfs.exitCode()).isEqualTo(125);
        assertThat(tmpfs.stderr()).contains("invalid tmpfs option [\"bogus\"]");
    }
}
