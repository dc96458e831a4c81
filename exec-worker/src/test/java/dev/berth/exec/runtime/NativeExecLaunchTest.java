package dev.berth.exec.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.JobCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeExecLaunchTest {
    private static final ExecTarget TARGET = new ExecTarget(4242, 987654, List.of(Path.of("/sys/fs/cgroup/pids/c1/tasks"),
            Path.of("/sys/fs/cgroup/memory/c1/tasks")), Path.of("/sys/fs/cgroup/unified/c1"), false);

    private static ObjectNode process() throws Exception {
        return (ObjectNode) JobCodec.mapper().readTree("""
                {"terminal": false, "args": ["sh", "-c", "echo hi"], "env": ["PATH=/bin", "A=b c"], "cwd": "/work",
                 "user": {"uid": 1000, "gid": 1001, "additionalGids": [10, 20]},
                 "capabilities": {"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_CHECKPOINT_RESTORE"], "effective": ["CAP_KILL"],
                                  "permitted": ["CAP_KILL"]},
                 "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 1000, "hard": 2000},
                             {"type": "RLIMIT_CORE", "soft": 18446744073709551615, "hard": 18446744073709551615}],
                 "noNewPrivileges": false, "oomScoreAdj": 5}
                """);
    }

    /** The launch file read back as the helper reads it: NUL-terminated keys and values. */
    private static List<Map.Entry<String, String>> pairs(byte[] launch) {
        String[] fields = new String(launch, StandardCharsets.UTF_8).split("\0", -1);
        assertThat(fields.length % 2).as("pairs and a final empty field").isEqualTo(1);
        assertThat(fields[fields.length - 1]).isEmpty();
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            pairs.add(Map.entry(fields[i], fields[i + 1]));
        }
        return pairs;
    }

    @Test
    void everyFieldTheHelperHonoursIsWritten() throws Exception {
        byte[] launch = NativeExecLaunch.encode("c1", TARGET, process(), Path.of("/run/c1/seccomp.bpf"), Path.of("/run/c1/exec/e1"),
                true);
        assertThat(pairs(launch)).containsExactly(
                Map.entry("pid", "4242"),
                Map.entry("start", "987654"),
                Map.entry("cgroup.v1", "/sys/fs/cgroup/pids/c1/tasks"),
                Map.entry("cgroup.v1", "/sys/fs/cgroup/memory/c1/tasks"),
                Map.entry("cgroup.v2", "/sys/fs/cgroup/unified/c1"),
                Map.entry("seccomp", "/run/c1/seccomp.bpf"),
                Map.entry("uid", "1000"),
                Map.entry("gid", "1001"),
                Map.entry("group", "10"),
                Map.entry("group", "20"),
                Map.entry("cap.bounding", Long.toString((1L << 0) | (1L << 5) | (1L << 40))),
                Map.entry("cap.effective", "32"),
                Map.entry("cap.permitted", "32"),
                Map.entry("cap.inheritable", "0"),
                Map.entry("cap.ambient", "0"),
                Map.entry("rlimit", "7 1000 2000"),
                Map.entry("rlimit", "4 18446744073709551615 18446744073709551615"),
                Map.entry("oom", "5"),
                Map.entry("keyring", "_ses.c1"),
                Map.entry("cwd", "/work"),
                Map.entry("env", "PATH=/bin"),
                Map.entry("env", "A=b c"),
                Map.entry("arg", "sh"),
                Map.entry("arg", "-c"),
                Map.entry("arg", "echo hi"),
                Map.entry("dir", "/run/c1/exec/e1"),
                Map.entry("stdout", "/run/c1/exec/e1/stdout"),
                Map.entry("stderr", "/run/c1/exec/e1/stderr"),
                Map.entry("stdin", "inherit"));
    }

    @Test
    void noNewPrivilegesAndAnUnconfinedContainerAreCarried() throws Exception {
        ObjectNode process = process().put("noNewPrivileges", true);
        List<Map.Entry<String, String>> pairs = pairs(NativeExecLaunch.encode("c1", TARGET, process, null, Path.of("/d"), false));
        assertThat(pairs).contains(Map.entry("nnp", "1"), Map.entry("stdin", "null"));
        assertThat(pairs).extracting(Map.Entry::getKey).doesNotContain("seccomp");
    }

    @Test
    void whatTheHelperCannotDoAsTheRuntimeWouldIsLeftToTheRuntime() throws Exception {
        Path dir = Path.of("/d");
        assertThat(NativeExecLaunch.encode("c1", TARGET, process().put("terminal", true), null, dir, false)).isNull();
        assertThat(NativeExecLaunch.encode("c1", TARGET, process().put("apparmorProfile", "docker-default"), null, dir, false)).isNull();
        assertThat(NativeExecLaunch.encode("c1", TARGET, process().put("selinuxLabel", "system_u:system_r:container_t"), null, dir, false))
                .isNull();
        assertThat(NativeExecLaunch.encode("c1", new ExecTarget(1, 2, List.of(), null, true), process(), null, dir, false)).isNull();
        ObjectNode unknownCapability = process();
        ((com.fasterxml.jackson.databind.node.ArrayNode) unknownCapability.with("capabilities").withArray("effective"))
                .add("CAP_FROM_THE_FUTURE");
        assertThat(NativeExecLaunch.encode("c1", TARGET, unknownCapability, null, dir, false)).isNull();
        ObjectNode unknownRlimit = process();
        unknownRlimit.withArray("rlimits").addObject().put("type", "RLIMIT_FUTURE").put("soft", 1).put("hard", 1);
        assertThat(NativeExecLaunch.encode("c1", TARGET, unknownRlimit, null, dir, false)).isNull();
        ObjectNode manyGroups = process();
        for (int gid = 0; gid < 257; gid++) {
            manyGroups.with("user").withArray("additionalGids").add(1000 + gid);
        }
        assertThat(NativeExecLaunch.encode("c1", TARGET, manyGroups, null, dir, false)).as("more groups than the helper holds").isNull();
        // A NUL would end the value early and shift every key after it.
        ObjectNode nul = process();
        nul.withArray("env").add("BAD=a\0b");
        assertThat(NativeExecLaunch.encode("c1", TARGET, nul, null, dir, false)).isNull();
    }
}
