package dev.berth.exec.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.container.HostConfig;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecurityOptionsTest {
    private static final List<String> DAEMON = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
            "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
            "CAP_KILL", "CAP_AUDIT_WRITE", "CAP_NET_ADMIN", "CAP_SYS_ADMIN");

    private static HostConfig host(String json) {
        return JobCodec.decode(new JsonObject(json), HostConfig.class);
    }

    private static SecurityOptions.Security resolve(String json, JsonNode profile) {
        return SecurityOptions.resolve(host(json), DAEMON, profile);
    }

    @Test
    void capabilities_follow_dockers_rules() {
        assertThat(resolve("{}", null).capabilities()).hasSize(14).doesNotContain("CAP_NET_ADMIN");
        assertThat(resolve("{\"CapAdd\":[\"net_admin\"],\"CapDrop\":[\"CAP_MKNOD\",\"chown\"]}", null).capabilities())
                .hasSize(13).contains("CAP_NET_ADMIN").doesNotContain("CAP_MKNOD", "CAP_CHOWN");
        assertThat(resolve("{\"CapDrop\":[\"ALL\"],\"CapAdd\":[\"NET_BIND_SERVICE\"]}", null).capabilities())
                .containsExactly("CAP_NET_BIND_SERVICE");
        assertThat(resolve("{\"CapAdd\":[\"ALL\"],\"CapDrop\":[\"SYS_ADMIN\"]}", null).capabilities())
                .hasSize(DAEMON.size() - 1).contains("CAP_NET_ADMIN").doesNotContain("CAP_SYS_ADMIN");
        assertThat(resolve("{\"Privileged\":true,\"CapDrop\":[\"ALL\"]}", null).capabilities()).isEqualTo(DAEMON);
    }

    @Test
    void what_cannot_be_honoured_is_refused() {
        assertThatThrownBy(() -> resolve("{\"CapAdd\":[\"FOO\"]}", null)).hasMessage("unknown capability: \"CAP_FOO\"");
        assertThatThrownBy(() -> resolve("{\"CapAdd\":[\"SYS_MODULE\"]}", null))
                .hasMessage("berth cannot grant CAP_SYS_MODULE: the daemon does not hold it");
        assertThatThrownBy(() -> resolve("{\"SecurityOpt\":[\"apparmor=docker-default\"]}", null))
                .hasMessageContaining("berth does not support AppArmor profiles");
        assertThatThrownBy(() -> resolve("{\"SecurityOpt\":[\"label=type:svirt_t\"]}", null))
                .hasMessageContaining("berth does not support SELinux labels");
        assertThatThrownBy(() -> resolve("{\"SecurityOpt\":[\"colour=red\"]}", null)).hasMessageContaining("colour=red");
        assertThatThrownBy(() -> resolve("{\"SecurityOpt\":[\"seccomp={not json\"]}", null))
                .hasMessageStartingWith("Decoding seccomp profile failed");
        resolve("{\"SecurityOpt\":[\"apparmor=unconfined\",\"label=disable\"]}", null);
    }

    @Test
    void security_opts_are_honoured() throws Exception {
        JsonNode profile = SeccompProfile.parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":[{\"architecture\":"
                + "\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_X86\"]}],\"syscalls\":[{\"names\":[\"read\"],"
                + "\"action\":\"SCMP_ACT_ALLOW\"}]}");
        assertThat(resolve("{}", profile).seccomp()).isNotNull();
        assertThat(resolve("{}", profile).noNewPrivileges()).isFalse();
        assertThat(resolve("{}", profile).maskedPaths()).contains("/proc/kcore");
        assertThat(resolve("{\"MaskedPaths\":[],\"ReadonlyPaths\":[]}", profile).maskedPaths()).isEmpty();
        assertThat(resolve("{\"MaskedPaths\":[\"/proc/x\"]}", profile).maskedPaths()).containsExactly("/proc/x");
        assertThat(resolve("{\"SecurityOpt\":[\"seccomp=unconfined\"]}", profile).seccomp()).isNull();
        assertThat(resolve("{\"Privileged\":true}", profile).seccomp()).isNull();
        assertThat(resolve("{\"Privileged\":true}", profile).maskedPaths()).isEmpty();
        assertThat(resolve("{\"SecurityOpt\":[\"no-new-privileges\"]}", null).noNewPrivileges()).isTrue();
        assertThat(resolve("{\"SecurityOpt\":[\"no-new-privileges:true\"]}", null).noNewPrivileges()).isTrue();
        assertThat(resolve("{\"SecurityOpt\":[\"no-new-privileges=false\"]}", null).noNewPrivileges()).isFalse();
        assertThat(resolve("{\"SecurityOpt\":[\"systempaths=unconfined\"]}", null).readonlyPaths()).isEmpty();
        ObjectNode given = resolve("{\"SecurityOpt\":[\"seccomp={\\\"defaultAction\\\":\\\"SCMP_ACT_ALLOW\\\"}\"]}", profile).seccomp();
        assertThat(given.get("defaultAction").asText()).isEqualTo("SCMP_ACT_ALLOW");
    }

    @Test
    void the_default_profile_keeps_the_rules_the_containers_capabilities_allow() throws Exception {
        JsonNode profile = SeccompProfile.parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,"
                + "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]},"
                + "{\"architecture\":\"SCMP_ARCH_AARCH64\",\"subArchitectures\":[\"SCMP_ARCH_ARM\"]}],\"syscalls\":["
                + "{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[],\"includes\":{},\"excludes\":{}},"
                + "{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
                + "{\"names\":[\"arch_prctl\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"arches\":[\"amd64\",\"x32\"]}},"
                + "{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1,\"errno\":\"EPERM\","
                + "\"args\":[{\"index\":0,\"value\":16,\"valueTwo\":0,\"op\":\"SCMP_CMP_EQ\"}],"
                + "\"excludes\":{\"caps\":[\"CAP_AUDIT_WRITE\"]}}]}");
        ObjectNode oci = SeccompProfile.toOci(profile, List.of("CAP_CHOWN"), "SCMP_ARCH_X86_64", "amd64");
        assertThat(oci.get("defaultErrnoRet").asInt()).isEqualTo(38);
        List<String> architectures = new ArrayList<>();
        oci.get("architectures").forEach(a -> architectures.add(a.asText()));
        assertThat(architectures).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
        List<String> names = new ArrayList<>();
        oci.get("syscalls").forEach(rule -> rule.get("names").forEach(n -> names.add(n.asText())));
        assertThat(names).containsExactly("read", "write", "arch_prctl", "socket");
        JsonNode socket = oci.get("syscalls").get(2);
        assertThat(socket.get("errnoRet").asInt()).isEqualTo(1);
        assertThat(socket.has("errno")).isFalse();
        assertThat(socket.get("args").get(0).get("op").asText()).isEqualTo("SCMP_CMP_EQ");

        ObjectNode admin = SeccompProfile.toOci(profile, List.of("CAP_SYS_ADMIN", "CAP_AUDIT_WRITE"), "SCMP_ARCH_AARCH64", "arm64");
        List<String> adminNames = new ArrayList<>();
        admin.get("syscalls").forEach(rule -> rule.get("names").forEach(n -> adminNames.add(n.asText())));
        assertThat(adminNames).containsExactly("read", "write", "mount");
    }

    @Test
    void debians_default_profile_converts() {
        JsonNode profile = SeccompProfile.defaultProfile();
        org.junit.jupiter.api.Assumptions.assumeTrue(profile != null, "containers-common is not installed");
        ObjectNode oci = SeccompProfile.toOci(profile, OciSpecBuilder.DEFAULT_CAPABILITIES, SeccompProfile.nativeArchitecture(),
                SeccompProfile.goArchitecture());
        assertThat(oci.get("syscalls").size()).isGreaterThan(5);
        assertThat(oci.get("defaultAction").asText()).isEqualTo("SCMP_ACT_ERRNO");
    }

    @Test
    void devices_take_the_hosts_numbers() {
        List<RuntimeSpec.Device> devices = DeviceMappings.resolve(List.of(new HostConfig.DeviceMapping("/dev/null", "/dev/mynull", "rw")));
        assertThat(devices).containsExactly(new RuntimeSpec.Device("/dev/mynull", "c", 1, 3, 0666, 0, 0, "rw"));
        assertThatThrownBy(() -> DeviceMappings.resolve(List.of(new HostConfig.DeviceMapping("/dev/absent", "", ""))))
                .hasMessageContaining("no such file or directory");
        assertThatThrownBy(() -> DeviceMappings.resolve(List.of(new HostConfig.DeviceMapping("/etc/hostname", "", ""))))
                .hasMessageContaining("not a device node");
        assertThatThrownBy(() -> DeviceMappings.resolve(List.of(new HostConfig.DeviceMapping("/dev/null", "", "rx"))))
                .hasMessage("invalid device mode: rx");
    }
}
