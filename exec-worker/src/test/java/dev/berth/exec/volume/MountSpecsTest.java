package dev.berth.exec.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.container.HostConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MountSpecsTest {
    private static HostConfig host(String json) {
        return JobCodec.decode(new JsonObject(json), HostConfig.class);
    }

    private static void refused(HostConfig host, String message) {
        assertThatThrownBy(() -> MountSpecs.parse(host, List.of()))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessage(message);
    }

    @Test
    void a_bind_from_v_is_recursive_private_and_makes_its_missing_source() {
        MountSpec bind = MountSpecs.parseBind("/srv/data/:/data");
        assertThat(bind.type()).isEqualTo("bind");
        assertThat(bind.source()).isEqualTo("/srv/data");
        assertThat(bind.destination()).isEqualTo("/data");
        assertThat(bind.readOnly()).isFalse();
        assertThat(bind.propagation()).isEqualTo("rprivate");
        assertThat(bind.recursive()).isTrue();
        assertThat(bind.createSource()).isTrue();
        assertThat(bind.mode()).isEmpty();
    }

    @Test
    void modes_of_a_bind() {
        MountSpec bind = MountSpecs.parseBind("/srv:/data:ro,z,private");
        assertThat(bind.readOnly()).isTrue();
        assertThat(bind.mode()).isEqualTo("ro,z,private");
        assertThat(bind.propagation()).isEqualTo("private");
    }

    @Test
    void a_name_is_a_volume_and_no_source_an_anonymous_one() {
        MountSpec named = MountSpecs.parseBind("cache:/cache:ro");
        assertThat(named.type()).isEqualTo("volume");
        assertThat(named.name()).isEqualTo("cache");
        assertThat(named.readOnly()).isTrue();
        assertThat(named.anonymous()).isFalse();
        assertThat(MountSpecs.parseBind("cache:/cache").mode()).isEqualTo("z");
        assertThat(MountSpecs.parseBind("cache:/cache:nocopy").noCopy()).isTrue();
        MountSpec anonymous = MountSpecs.parseBind("/cache");
        assertThat(anonymous.type()).isEqualTo("volume");
        assertThat(anonymous.anonymous()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/a:/b:/c:/d|invalid volume specification: '/a:/b:/c:/d'",
        "/data:rw|invalid volume specification: '/data:rw'",
        "/a:/b:rx|invalid mode: rx",
        "/a:/b:ro,rw|invalid mode: ro,rw",
        "/a:relative|invalid mount config for type \"bind\": invalid mount path: 'relative' mount path must be absolute",
        "/a:/|invalid specification: destination can't be '/'",
        "/a:/b:rshared|berth does not support bind propagation \"rshared\" yet",
        "/a:/b:nocopy|invalid mode: nocopy",
        "my$vol:/b|create my$vol: \"my$vol\" includes invalid characters for a local volume name, only "
                + "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"})
    void bad_v_specs_are_refused_with_dockerds_words(String spec, String message) {
        refused(host("{\"Binds\":[\"" + spec.replace("\"", "\\\"") + "\"]}"), message);
    }

    @Test
    void mount_bind_takes_its_options() {
        MountSpec bind = MountSpecs.parseMount(host("{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/srv\",\"Target\":\"/data/\","
                + "\"ReadOnly\":true,\"BindOptions\":{\"Propagation\":\"private\",\"NonRecursive\":true}}]}").mounts().get(0));
        assertThat(bind.destination()).isEqualTo("/data");
        assertThat(bind.readOnly()).isTrue();
        assertThat(bind.propagation()).isEqualTo("private");
        assertThat(bind.recursive()).isFalse();
        assertThat(bind.createSource()).isFalse();
        assertThat(bind.mode()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"Type\":\"bind\",\"Target\":\"/d\"}|invalid mount config for type \"bind\": field Source must not be empty",
        "{\"Type\":\"bind\",\"Source\":\"/s\"}|invalid mount config for type \"bind\": field Target must not be empty",
        "{\"Type\":\"bind\",\"Source\":\"s\",\"Target\":\"/d\"}|invalid mount config for type \"bind\": invalid mount path: 's' mount path must be absolute",
        "{\"Type\":\"tmpfs\",\"Source\":\"/s\",\"Target\":\"/d\"}|invalid mount config for type \"tmpfs\": field Source must not be specified",
        "{\"Type\":\"bind\",\"Source\":\"/s\",\"Target\":\"/d\",\"VolumeOptions\":{\"NoCopy\":true}}|invalid mount config for type \"bind\": field VolumeOptions must not be specified",
        "{\"Type\":\"bind\",\"Source\":\"/s\",\"Target\":\"/d\",\"BindOptions\":{\"Propagation\":\"rslave\"}}|berth does not support bind propagation \"rslave\" yet",
        "{\"Type\":\"npipe\",\"Source\":\"/s\",\"Target\":\"/d\"}|invalid mount config for type \"npipe\": mount type unknown",
        "{\"Type\":\"volume\",\"Source\":\"vol\",\"Target\":\"/d\",\"VolumeOptions\":{\"Subpath\":\"x\"}}|berth does not support the volume option Subpath of --mount yet",
        "{\"Type\":\"volume\",\"Source\":\"vol\",\"Target\":\"/d\",\"VolumeOptions\":{\"DriverConfig\":{\"Name\":\"nfs\"}}}|berth does not support the volume driver \"nfs\""})
    void bad_mounts_are_refused_with_dockerds_words(String mount, String message) {
        refused(host("{\"Mounts\":[" + mount + "]}"), message);
    }

    @Test
    void a_missing_bind_source_is_refused_but_a_v_source_is_made(@TempDir Path dir) {
        String missing = dir.resolve("missing").toString();
        List<MountSpec> fromMount = MountSpecs.parse(host("{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"" + missing
                + "\",\"Target\":\"/d\"}]}"), List.of());
        assertThatThrownBy(() -> MountSpecs.checkSources(fromMount))
                .hasMessage("invalid mount config for type \"bind\": bind source path does not exist: " + missing);
        List<MountSpec> fromV = MountSpecs.parse(host("{\"Binds\":[\"" + missing + ":/d\"]}"), List.of());
        MountSpecs.checkSources(fromV);
        assertThat(ContainerMounts.prepare(fromV, dir, null)).singleElement().satisfies(m -> {
            assertThat(m.options()).containsExactly("rbind", "rprivate");
            assertThat(m.source()).isEqualTo(missing);
        });
        assertThat(Files.isDirectory(Path.of(missing))).isTrue();
    }

    @Test
    void tmpfs_gets_dockers_defaults_under_the_users_options() {
        assertThat(MountSpecs.tmpfsOptions("")).containsExactly("noexec", "nosuid", "nodev");
        assertThat(MountSpecs.tmpfsOptions("exec,size=64m,mode=1770")).containsExactly("nosuid", "nodev", "exec", "size=64m",
                "mode=1770");
        assertThat(MountSpecs.tmpfsOptions("size=1m,size=2m")).containsExactly("noexec", "nosuid", "nodev", "size=2m");
        MountSpec tmpfs = MountSpecs.parseTmpfs("/run/", "ro,size=1m");
        assertThat(tmpfs.destination()).isEqualTo("/run");
        assertThat(tmpfs.readOnly()).isTrue();
        assertThat(tmpfs.shown()).isFalse();
    }

    @Test
    void mount_tmpfs_options_become_mount_data() {
        MountSpec tmpfs = MountSpecs.parseMount(host("{\"Mounts\":[{\"Type\":\"tmpfs\",\"Target\":\"/t\",\"ReadOnly\":true,"
                + "\"TmpfsOptions\":{\"SizeBytes\":1048576,\"Mode\":448,\"Options\":[[\"exec\"],[\"uid\",\"5\"]]}}]}").mounts().get(0));
        assertThat(tmpfs.tmpfsOptions()).containsExactly("nosuid", "nodev", "size=1048576", "mode=700", "exec", "uid=5", "ro");
        assertThat(tmpfs.shown()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/run|bogus|invalid tmpfs option [\"bogus\"]",
        "/run|color=red|invalid tmpfs option [\"color=red\"]",
        "/run|shared|berth does not support bind propagation \"shared\" yet",
        "run|size=1m|invalid tmpfs destination: run: mount path must be absolute"})
    void bad_tmpfs_is_refused(String path, String options, String message) {
        refused(host("{\"Tmpfs\":{\"" + path + "\":\"" + options + "\"}}"), message);
    }

    @Test
    void two_mounts_at_one_place_are_refused_and_binds_take_image_volumes_over() {
        refused(host("{\"Binds\":[\"/a:/data\"],\"Tmpfs\":{\"/data/\":\"\"}}"), "Duplicate mount point: /data");
        List<MountSpec> mounts = MountSpecs.parse(host("{\"Binds\":[\"/a:/data\"]}"), List.of("/data/", "/logs"));
        assertThat(mounts).extracting(MountSpec::type, MountSpec::destination)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("bind", "/data"),
                        org.assertj.core.groups.Tuple.tuple("volume", "/logs"));
        assertThat(mounts.get(1).anonymous()).isTrue();
    }

    @Test
    void paths_are_cleaned_as_go_cleans_them() {
        assertThat(MountSpecs.clean("/a//b/./c/")).isEqualTo("/a/b/c");
        assertThat(MountSpecs.clean("/a/../../b")).isEqualTo("/b");
        assertThat(MountSpecs.clean("/..")).isEqualTo("/");
    }

    @Test
    void volumes_from_takes_the_other_containers_mounts_under_this_ones() {
        assertThat(MountSpecs.parseVolumesFrom("db")).isEqualTo(new MountSpecs.VolumesFrom("db", false));
        assertThat(MountSpecs.parseVolumesFrom("db:ro")).isEqualTo(new MountSpecs.VolumesFrom("db", true));
        assertThatThrownBy(() -> MountSpecs.parseVolumesFrom("db:z")).hasMessage("invalid mode for volumes-from: z");
        MountSpec anonymous = MountSpecs.parseBind("/cache").withVolume("abc", "/v/abc/_data");
        MountSpec inherited = MountSpecs.inherit(anonymous, true);
        assertThat(inherited.readOnly()).isTrue();
        assertThat(inherited.anonymous()).as("rm -v of the borrower leaves it").isFalse();
        assertThat(inherited.noCopy()).isTrue();
        assertThat(inherited.name()).isEqualTo("abc");
        List<MountSpec> mounts = MountSpecs.parse(host("{\"Binds\":[\"/own:/cache\"]}"),
                List.of(inherited, MountSpecs.inherit(MountSpecs.parseBind("/srv:/srv"), false)), List.of("/srv"));
        assertThat(mounts).extracting(MountSpec::source).containsExactly("/own", "/srv");
    }
}
