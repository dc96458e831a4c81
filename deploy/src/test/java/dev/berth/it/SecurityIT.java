package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Capabilities, --security-opt, seccomp, --device, --group-add and --init through the real docker CLI. */
class SecurityIT {
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
    void removeContainers() throws Exception {
        berth.removeAllContainers();
    }

    /** One field of the container's /proc/self/status. */
    private String status(String field, String... options) throws Exception {
        String[] args = new String[options.length + 6];
        args[0] = "run";
        args[1] = "--rm";
        System.arraycopy(options, 0, args, 2, options.length);
        args[options.length + 2] = "busybox";
        args[options.length + 3] = "grep";
        args[options.length + 4] = field + ":";
        args[options.length + 5] = "/proc/self/status";
        return berth.docker(args).ok().substring(field.length() + 1).trim();
    }

    @Test
    void dockers_default_capabilities_changed_by_cap_add_and_cap_drop() throws Exception {
        assertThat(status("CapBnd")).isEqualTo("00000000a80425fb");
        assertThat(status("CapBnd", "--cap-drop", "ALL", "--cap-add", "NET_BIND_SERVICE")).isEqualTo("0000000000000400");
        assertThat(status("CapBnd", "--cap-add", "sys_admin", "--cap-drop", "CAP_MKNOD")).isEqualTo("00000000a02425fb");
        CliResult unknown = berth.docker("run", "--rm", "--cap-add", "FOO", "busybox", "true");
        assertThat(unknown.exitCode()).isEqualTo(125);
        assertThat(unknown.stderr()).contains("unknown capability: \"CAP_FOO\"");
    }

    @Test
    void seccomp_and_no_new_privileges() throws Exception {
        assertThat(status("Seccomp")).isEqualTo("2");
        assertThat(status("Seccomp", "--security-opt", "seccomp=unconfined")).isEqualTo("0");
        assertThat(status("Seccomp", "--privileged")).isEqualTo("0");
        assertThat(status("NoNewPrivs")).isEqualTo("0");
        assertThat(status("NoNewPrivs", "--security-opt", "no-new-privileges")).isEqualTo("1");

        Path profile = Files.createTempFile("berth-seccomp-", ".json");
        try {
            Files.writeString(profile, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],"
                    + "\"action\":\"SCMP_ACT_ERRNO\"}]}");
            CliResult mkdir = berth.docker("run", "--rm", "--security-opt", "seccomp=" + profile, "busybox", "mkdir", "/made");
            assertThat(mkdir.exitCode()).isNotZero();
            assertThat(mkdir.stderr()).contains("Operation not permitted");
        } finally {
            Files.deleteIfExists(profile);
        }
        CliResult apparmor = berth.docker("run", "--rm", "--security-opt", "apparmor=docker-default", "busybox", "true");
        assertThat(apparmor.exitCode()).isEqualTo(125);
        assertThat(apparmor.stderr()).contains("berth does not support AppArmor profiles");
    }

    @Test
    void masked_paths_unless_systempaths_unconfined() throws Exception {
        String confined = berth.docker("run", "--rm", "busybox", "grep", " /proc/sys ", "/proc/self/mountinfo").ok();
        assertThat(confined).contains(" ro,");
        assertThat(berth.docker("run", "--rm", "busybox", "sh", "-c", "grep -c ' /proc/interrupts ' "
                + "/proc/self/mountinfo").ok().trim()).isNotEqualTo("0");
        assertThat(berth.docker("run", "--rm", "--security-opt", "systempaths=unconfined", "busybox", "sh", "-c",
                "grep -c ' /proc/sys \\| /proc/interrupts ' /proc/self/mountinfo || true").ok().trim()).isEqualTo("0");
    }

    @Test
    void devices_groups_and_init() throws Exception {
        String device = berth.docker("run", "--rm", "--device", "/dev/null:/dev/mynull:rw", "busybox", "sh", "-c",
                "ls -l /dev/mynull && echo ok > /dev/mynull && echo written").ok();
        assertThat(device).matches("(?s)crw-rw-rw-.*1,\\s+3 .*/dev/mynull\nwritten\n");
        CliResult missing = berth.docker("create", "--device", "/dev/berth-absent", "busybox", "true");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("error gathering device information while adding custom device "
                + "\"/dev/berth-absent\": no such file or directory");
        assertThat(berth.docker("ps", "-aq").out()).as("refused at create").isEmpty();

        assertThat(berth.docker("run", "--rm", "--group-add", "1234", "--group-add", "nobody", "busybox", "id", "-G").ok().trim())
                .isEqualTo("0 1234 65534");

        assertThat(berth.docker("run", "--rm", "--init", "busybox", "sh", "-c", "cat /proc/1/cmdline | tr '\\0' ' '").ok())
                .isEqualTo("/sbin/docker-init -- sh -c cat /proc/1/cmdline | tr '\\0' ' ' ");
    }
}
