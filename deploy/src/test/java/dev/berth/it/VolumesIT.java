package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Named and anonymous volumes through the real docker CLI. */
class VolumesIT {
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

    @AfterEach
    void removeContainersAndVolumes() throws Exception {
        berth.removeAllContainers();
        String volumes = berth.docker("volume", "ls", "-q").out();
        if (!volumes.isEmpty()) {
            berth.shell(BerthDaemon.DOCKER + " volume rm " + volumes.replace('\n', ' ')).ok();
        }
    }

    private Path mountpoint(String volume) throws Exception {
        return Path.of(berth.docker("volume", "inspect", "-f", "{{.Mountpoint}}", volume).ok().trim());
    }

    @Test
    void create_inspect_ls_and_rm() throws Exception {
        assertThat(berth.docker("volume", "create", "--label", "tier=db", "vol-it-db").ok().trim()).isEqualTo("vol-it-db");
        berth.docker("volume", "create", "vol-it-cache").ok();
        JsonObject inspect = new JsonArray(berth.docker("volume", "inspect", "vol-it-db").ok()).getJsonObject(0);
        assertThat(inspect.getString("Name")).isEqualTo("vol-it-db");
        assertThat(inspect.getString("Driver")).isEqualTo("local");
        assertThat(inspect.getString("Scope")).isEqualTo("local");
        assertThat(inspect.getJsonObject("Labels").getMap()).containsEntry("tier", "db");
        assertThat(inspect.getString("Mountpoint")).isEqualTo(berth.dataRoot().resolve("volumes/vol-it-db/_data").toString());
        assertThat(inspect.getString("CreatedAt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(Path.of(inspect.getString("Mountpoint"))).isDirectory();

        assertThat(berth.docker("volume", "ls", "-q").out().lines()).containsExactly("vol-it-cache", "vol-it-db");
        assertThat(berth.docker("volume", "ls", "-q", "--filter", "label=tier=db").out()).isEqualTo("vol-it-db");
        assertThat(berth.docker("volume", "ls", "-q", "--filter", "name=cache").out()).isEqualTo("vol-it-cache");
        assertThat(berth.docker("volume", "ls", "-q", "--filter", "driver=local").out().lines()).hasSize(2);
        assertThat(berth.docker("volume", "ls", "-q", "--filter", "dangling=true").out().lines()).hasSize(2);
        CliResult badFilter = berth.docker("volume", "ls", "--filter", "colour=red");
        assertThat(badFilter.exitCode()).isNotZero();
        assertThat(badFilter.stderr()).contains("invalid filter 'colour'");

        berth.docker("volume", "rm", "vol-it-db", "vol-it-cache").ok();
        assertThat(berth.docker("volume", "ls", "-q").out()).isEmpty();
        assertThat(berth.dataRoot().resolve("volumes/vol-it-db")).doesNotExist();
        CliResult missing = berth.docker("volume", "inspect", "vol-it-db");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("no such volume");
        CliResult bad = berth.docker("volume", "create", "-o", "colour=red", "vol-it-bad");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("invalid option: \"colour\"");
    }

    @Test
    void a_file_written_in_a_volume_survives_the_container() throws Exception {
        berth.docker("run", "--name", "vol-it-writer", "-v", "vol-it-data:/data", "busybox",
                "sh", "-c", "echo kept > /data/file").ok();
        berth.docker("rm", "vol-it-writer").ok();
        assertThat(berth.docker("run", "--rm", "--mount", "type=volume,source=vol-it-data,target=/elsewhere", "busybox",
                "cat", "/elsewhere/file").ok()).isEqualTo("kept\n");
        assertThat(Files.readString(mountpoint("vol-it-data").resolve("file"))).isEqualTo("kept\n");
    }

    @Test
    void a_volume_in_use_is_not_removed() throws Exception {
        berth.docker("create", "--name", "vol-it-user", "-v", "vol-it-used:/data", "busybox", "true").ok();
        String id = berth.docker("inspect", "-f", "{{.Id}}", "vol-it-user").ok().trim();
        CliResult rm = berth.docker("volume", "rm", "vol-it-used");
        assertThat(rm.exitCode()).isNotZero();
        assertThat(rm.stderr()).contains("remove vol-it-used: volume is in use - [" + id + "]");
        assertThat(berth.docker("volume", "ls", "-q", "--filter", "dangling=false").out()).isEqualTo("vol-it-used");
        JsonObject mount = new JsonArray(berth.docker("inspect", "-f", "{{json .Mounts}}", "vol-it-user").ok()).getJsonObject(0);
        assertThat(mount).isEqualTo(new JsonObject().put("Type", "volume").put("Name", "vol-it-used")
                .put("Source", mountpoint("vol-it-used").toString()).put("Destination", "/data").put("Driver", "local")
                .put("Mode", "z").put("RW", true).put("Propagation", ""));
        berth.docker("rm", "vol-it-user").ok();
        berth.docker("volume", "rm", "vol-it-used").ok();
    }

    @Test
    void an_empty_volume_is_first_filled_from_the_image_with_modes_kept() throws Exception {
        String out = berth.docker("run", "--rm", "-v", "vol-it-etc:/etc", "-v", "vol-it-tmp:/tmp", "-v", "vol-it-root:/root",
                "busybox", "sh", "-c", "cat /etc/passwd | head -1; stat -c %a /tmp /root").ok();
        assertThat(out).isEqualTo("root:x:0:0:root:/root:/bin/sh\n1777\n700\n");
        assertThat(mountpoint("vol-it-etc").resolve("group")).exists();
        // a volume with content is not filled again, and nocopy leaves it empty
        berth.docker("run", "--rm", "-v", "vol-it-etc:/etc", "busybox", "rm", "/etc/group").ok();
        assertThat(berth.docker("run", "--rm", "-v", "vol-it-etc:/etc", "busybox", "ls", "/etc").ok()).isEqualTo("passwd\n");
        assertThat(berth.docker("run", "--rm", "-v", "vol-it-empty:/etc:nocopy", "busybox", "ls", "-A", "/etc").ok()).isEmpty();
    }

    @Test
    void anonymous_volumes_go_with_rm_v_and_prune() throws Exception {
        berth.docker("create", "--name", "vol-it-anon", "-v", "/cache", "-v", "vol-it-kept:/kept", "busybox", "true").ok();
        JsonArray mounts = new JsonArray(berth.docker("inspect", "-f", "{{json .Mounts}}", "vol-it-anon").ok());
        String anonymous = mounts.stream().map(m -> (JsonObject) m).filter(m -> m.getString("Destination").equals("/cache"))
                .findFirst().orElseThrow().getString("Name");
        assertThat(anonymous).matches("[0-9a-f]{64}");
        assertThat(berth.docker("volume", "inspect", "-f", "{{json .Labels}}", anonymous).ok().trim())
                .isEqualTo("{\"com.docker.volume.anonymous\":\"\"}");
        berth.docker("rm", "-v", "vol-it-anon").ok();
        assertThat(berth.docker("volume", "ls", "-q").out()).isEqualTo("vol-it-kept");

        berth.docker("run", "--name", "vol-it-anon2", "-v", "/cache", "busybox", "true").ok();
        berth.docker("rm", "vol-it-anon2").ok();
        assertThat(berth.docker("volume", "ls", "-q").out().lines()).hasSize(2);
        // prune takes the anonymous volume only; --all takes the named one too
        assertThat(berth.docker("volume", "prune", "-f").ok()).contains("Total reclaimed space");
        assertThat(berth.docker("volume", "ls", "-q").out()).isEqualTo("vol-it-kept");
        berth.docker("volume", "prune", "-f", "--all").ok();
        assertThat(berth.docker("volume", "ls", "-q").out()).isEmpty();

        berth.docker("run", "--rm", "-v", "/scratch", "busybox", "true").ok();
        assertThat(berth.docker("volume", "ls", "-q").out()).isEmpty();
    }

    @Test
    void volumes_from_shares_another_containers_volumes() throws Exception {
        berth.docker("create", "--name", "vol-it-source", "-v", "vol-it-shared:/shared", "-v", "/anon", "busybox", "true").ok();
        berth.docker("run", "--rm", "--volumes-from", "vol-it-source", "busybox", "sh", "-c",
                "echo borrowed > /shared/file && touch /anon/mark").ok();
        assertThat(Files.readString(mountpoint("vol-it-shared").resolve("file"))).isEqualTo("borrowed\n");
        CliResult readOnly = berth.docker("run", "--rm", "--volumes-from", "vol-it-source:ro", "busybox", "touch",
                "/shared/other");
        assertThat(readOnly.exitCode()).isNotZero();
        assertThat(readOnly.stderr()).contains("Read-only file system");
        // the borrower's --rm left the source's anonymous volume in place
        assertThat(berth.docker("run", "--rm", "--volumes-from", "vol-it-source", "busybox", "ls", "/anon").ok())
                .isEqualTo("mark\n");
        CliResult unknown = berth.docker("run", "--rm", "--volumes-from", "vol-it-nobody", "busybox", "true");
        assertThat(unknown.exitCode()).isEqualTo(125);
        assertThat(unknown.stderr()).contains("No such container: vol-it-nobody");
    }

    @Test
    void a_local_volume_with_options_mounts_its_device_while_containers_use_it() throws Exception {
        berth.docker("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=2m,mode=0750",
                "vol-it-tmpfs").ok();
        assertThat(berth.docker("volume", "inspect", "-f", "{{json .Options}}", "vol-it-tmpfs").ok().trim())
                .isEqualTo("{\"device\":\"tmpfs\",\"o\":\"size=2m,mode=0750\",\"type\":\"tmpfs\"}");
        Path data = mountpoint("vol-it-tmpfs");
        berth.docker("run", "--name", "vol-it-tmpfs-user", "-v", "vol-it-tmpfs:/data", "busybox", "sh", "-c",
                "echo in-tmpfs > /data/file").ok();
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertThat(mounts).contains(" " + data + " ");
        assertThat(Files.readString(data.resolve("file"))).isEqualTo("in-tmpfs\n");
        berth.docker("rm", "vol-it-tmpfs-user").ok();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).as("unmounted with its last container")
                .doesNotContain(" " + data + " ");
        berth.docker("volume", "rm", "vol-it-tmpfs").ok();
        CliResult bad = berth.docker("volume", "create", "-o", "type=tmpfs", "vol-it-nodevice");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("missing required option: \"device\"");
    }
}
