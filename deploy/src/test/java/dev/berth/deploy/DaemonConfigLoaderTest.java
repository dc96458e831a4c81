package dev.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.graph.snapshot.StorageDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DaemonConfigLoaderTest {
    @TempDir
    Path dir;

    private DaemonFlags flags(String... args) {
        DaemonFlags flags = new DaemonFlags();
        new CommandLine(flags).parseArgs(args);
        return flags;
    }

    private Path config(String json) throws Exception {
        return Files.writeString(dir.resolve("daemon.json"), json);
    }

    @Test
    void defaultsAreDockersWithBerthsPaths() throws Exception {
        DaemonConfig config = DaemonConfigLoader.load(flags("--config-file", config("{}").toString()));
        assertThat(config.hosts()).containsExactly("unix:///run/berth/berth.sock");
        assertThat(config.dataRoot()).isEqualTo(Path.of("/var/lib/berth"));
        assertThat(config.execRoot()).isEqualTo(Path.of("/run/berth"));
        assertThat(config.pidfile()).isEqualTo(Path.of("/run/berth/berthd.pid"));
        assertThat(config.logLevel()).isEqualTo("info");
        assertThat(config.cgroupParent()).isEqualTo("/berth");
        assertThat(config.runtime()).endsWith("/runc");
    }

    @Test
    void theFileAndTheFlagsCombine() throws Exception {
        Path file = config("{\"data-root\":\"/srv/berth\",\"labels\":[\"zone=a\"],\"debug\":true}");
        DaemonConfig config = DaemonConfigLoader.load(flags("--config-file", file.toString(), "-H", "unix:///tmp/x.sock",
                "-H", "tcp://127.0.0.1:2375", "--exec-root", "/run/b2", "--cgroup-parent", "berth-b2"));
        assertThat(config.hosts()).containsExactly("unix:///tmp/x.sock", "tcp://127.0.0.1:2375");
        assertThat(config.dataRoot()).isEqualTo(Path.of("/srv/berth"));
        assertThat(config.execRoot()).isEqualTo(Path.of("/run/b2"));
        assertThat(config.labels()).containsExactly("zone=a");
        assertThat(config.logLevel()).isEqualTo("debug");
        assertThat(config.cgroupParent()).isEqualTo("/berth-b2");
    }

    @Test
    void unknownKeysAndDoubleSettingsAreErrorsAsInDockerd() throws Exception {
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", config("{\"no-such-key\":1}").toString())))
                .hasMessageContaining("don't match any configuration option: no-such-key");
        Path file = config("{\"data-root\":\"/a\"}");
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", file.toString(), "--data-root", "/b")))
                .hasMessageContaining("specified both as a flag and in the configuration file: data-root");
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", config("[1]").toString())))
                .hasMessageContaining("must hold a JSON object");
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", config("{oops").toString())))
                .hasMessageContaining("invalid JSON");
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", dir.resolve("missing.json").toString())))
                .hasMessageContaining("does not exist");
    }

    @Test
    void logDriverAndLogOptsComeFromTheFileOrTheFlagsAndAreChecked() throws Exception {
        assertThat(DaemonConfigLoader.load(flags("--config-file", config("{}").toString())).logConfig()).isNull();
        DaemonConfig fromFile = DaemonConfigLoader.load(flags("--config-file",
                config("{\"log-driver\":\"local\",\"log-opts\":{\"max-size\":\"1m\"}}").toString()));
        assertThat(fromFile.logConfig().type()).isEqualTo("local");
        assertThat(fromFile.logConfig().config()).containsExactly(java.util.Map.entry("max-size", "1m"));
        DaemonConfig fromFlags = DaemonConfigLoader.load(flags("--config-file", config("{}").toString(),
                "--log-opt", "max-size=10m", "--log-opt", "max-file=2"));
        assertThat(fromFlags.logConfig().type()).as("options alone are the default driver's").isEqualTo("json-file");
        assertThat(fromFlags.logConfig().config()).containsEntry("max-file", "2").containsEntry("max-size", "10m");
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", config("{\"log-driver\":\"syslog\"}").toString())))
                .hasMessageContaining("log driver syslog");
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", config("{\"log-opts\":{\"tag\":\"x\"}}").toString())))
                .hasMessageContaining("log option tag");
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", config("{\"log-opts\":{\"max-size\":\"big\"}}").toString())))
                .hasMessageContaining("invalid size");
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", config("{\"log-driver\":\"local\"}").toString(),
                "--log-driver", "none"))).hasMessageContaining("log-driver");
    }

    @Test
    void theStorageDriverIsAskedForOrOverlay2OrVfsWhereTheKernelHasNoOverlay() throws Exception {
        String empty = config("{}").toString();
        assertThat(DaemonConfigLoader.load(flags("--config-file", empty), () -> true).storageDriver())
                .isEqualTo(StorageDriver.OVERLAY2);
        assertThat(DaemonConfigLoader.load(flags("--config-file", empty), () -> false).storageDriver())
                .isEqualTo(StorageDriver.VFS);
        assertThat(DaemonConfigLoader.load(flags("--config-file", empty, "-s", "vfs"), () -> true).storageDriver())
                .isEqualTo(StorageDriver.VFS);
        assertThat(DaemonConfigLoader.load(flags("--config-file", empty, "--storage-driver", "overlay2"), () -> true)
                .storageDriver()).isEqualTo(StorageDriver.OVERLAY2);
        assertThat(DaemonConfigLoader.load(flags("--config-file", config("{\"storage-driver\":\"vfs\"}").toString()), () -> true)
                .storageDriver()).isEqualTo(StorageDriver.VFS);
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", config("{}").toString(), "-s", "zfs"), () -> true))
                .hasMessage("unknown storage driver \"zfs\": use overlay2 or vfs");
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", config("{}").toString(), "-s", "overlay2"),
                () -> false)).hasMessageContaining("overlay2 storage driver is not supported here");
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", config("{\"storage-driver\":\"vfs\"}").toString(),
                "-s", "vfs"), () -> true)).hasMessageContaining("storage-driver");
    }

    @Test
    void dnsComesFromTheFileOrTheFlagsAndMustBeAddresses() throws Exception {
        assertThat(DaemonConfigLoader.load(flags("--config-file", config("{\"dns\":[\"10.0.0.53\",\"2001:db8::1\"]}").toString())).dns())
                .containsExactly("10.0.0.53", "2001:db8::1");
        assertThat(DaemonConfigLoader.load(flags("--config-file", config("{}").toString(), "--dns", "9.9.9.9")).dns())
                .containsExactly("9.9.9.9");
        assertThat(DaemonConfigLoader.load(flags("--config-file", config("{}").toString())).dns()).isEmpty();
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", config("{}").toString(), "--dns", "ns.example")))
                .hasMessageContaining("IP address is not correctly formatted: ns.example");
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", config("{}").toString(), "--dns", "10.0.0.256")))
                .hasMessageContaining("not correctly formatted");
    }

    @Test
    void badValuesAreRefused() throws Exception {
        String file = config("{}").toString();
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", file, "--data-root", "/data:x")))
                .hasMessageContaining("must not contain ':'");
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", file, "--log-level", "loud")))
                .hasMessageContaining("unknown log level");
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", file, "--label", "novalue")))
                .hasMessageContaining("key=value");
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", file, "--default-runtime", "no-such-runtime")))
                .hasMessageContaining("not found on PATH");
    }

    @Test
    void pidFilesRefuseALiveDaemon() throws Exception {
        Path pid = dir.resolve("berthd.pid");
        PidFile first = PidFile.create(pid);
        assertThat(Files.readString(pid).trim()).isEqualTo(String.valueOf(ProcessHandle.current().pid()));
        first.remove();
        assertThat(pid).doesNotExist();
        Files.writeString(pid, "999999999\n");
        PidFile.create(pid).remove();
        assertThat(List.of(pid)).allMatch(p -> !Files.exists(p));
    }

    @Test
    void registrySettingsComeFromTheFileOrTheFlags() throws Exception {
        Path file = config("{\"insecure-registries\":[\"registry.lan:5000\",\"10.0.0.0/8\"],"
                + "\"registry-mirrors\":[\"https://mirror.lan\"],\"max-concurrent-downloads\":6}");
        DaemonConfig config = DaemonConfigLoader.load(flags("--config-file", file.toString(), "--max-concurrent-uploads", "2",
                "--registry-certs-dir", dir.toString()));
        assertThat(config.registries().insecureRegistries()).containsExactly("registry.lan:5000", "10.0.0.0/8");
        assertThat(config.registries().mirrors()).containsExactly("https://mirror.lan");
        assertThat(config.registries().maxConcurrentDownloads()).isEqualTo(6);
        assertThat(config.registries().maxConcurrentUploads()).isEqualTo(2);
        assertThat(config.registries().certsDirs()).containsExactly(Path.of("/etc/docker/certs.d"),
                Path.of("/etc/berth/certs.d"), dir);
        DaemonConfig defaults = DaemonConfigLoader.load(flags("--config-file", config("{}").toString()));
        assertThat(defaults.registries().maxConcurrentDownloads()).isEqualTo(3);
        assertThat(defaults.registries().maxConcurrentUploads()).isEqualTo(5);
        assertThat(defaults.registries().stallTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(DaemonConfigLoader.load(flags("--config-file", config("{\"registry-stall-timeout\":\"1m30s\"}").toString()))
                .registries().stallTimeout()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(DaemonConfigLoader.load(flags("--config-file", config("{}").toString(), "--registry-stall-timeout", "500ms"))
                .registries().stallTimeout()).isEqualTo(java.time.Duration.ofMillis(500));
        Path empty = config("{}");
        for (String bad : List.of("0s", "30", "x", "5s3", "-1s")) {
            assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", empty.toString(),
                    "--registry-stall-timeout", bad))).hasMessageContaining("invalid registry-stall-timeout " + bad);
        }
    }

    @Test
    void badRegistrySettingsAreRefused() throws Exception {
        Path empty = config("{}");
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", empty.toString(),
                "--insecure-registry", "http://x:5000"))).hasMessageContaining("should not contain '://'");
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", empty.toString(),
                "--registry-mirror", "mirror.lan"))).hasMessageContaining("invalid mirror: mirror.lan");
        assertThatThrownBy(() -> DaemonConfigLoader.load(flags("--config-file", empty.toString(),
                "--max-concurrent-downloads", "0"))).hasMessageContaining("invalid max-concurrent-downloads 0");
    }
}
