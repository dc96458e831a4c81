package dev.berth.exec.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecTargetTest {
    @TempDir
    Path root;

    @Test
    void readsTheInitAndEachCgroupOnceFromRuncsState() throws Exception {
        Path cpuAndAcct = Files.createDirectories(root.resolve("cpu,cpuacct/berth/c1"));
        Files.createFile(cpuAndAcct.resolve("tasks"));
        Files.createSymbolicLink(root.resolve("cpu"), root.resolve("cpu,cpuacct"));
        Files.createSymbolicLink(root.resolve("cpuacct"), root.resolve("cpu,cpuacct"));
        Path pids = Files.createDirectories(root.resolve("pids/berth/c1"));
        Files.createFile(pids.resolve("tasks"));
        Path state = root.resolve("state.json");
        Files.writeString(state, """
                {"id": "c1", "init_process_pid": 4242, "init_process_start": 1118592,
                 "cgroup_paths": {"": "%1$s/unified/berth/c1", "cpu": "%1$s/cpu/berth/c1", "cpuacct": "%1$s/cpuacct/berth/c1",
                                  "pids": "%1$s/pids/berth/c1"},
                 "config": {"namespaces": [{"type": "NEWPID"}, {"type": "NEWNS"}]}}
                """.formatted(root));
        ExecTarget target = ExecTarget.read(state);
        assertThat(target.pid()).isEqualTo(4242);
        assertThat(target.startTicks()).isEqualTo(1118592);
        assertThat(target.cgroupV2()).isEqualTo(root.resolve("unified/berth/c1"));
        assertThat(target.cgroupTasksV1()).containsExactly(cpuAndAcct.resolve("tasks").toRealPath(), pids.resolve("tasks").toRealPath());
        assertThat(target.userNamespace()).isFalse();
    }

    @Test
    void aUserNamespaceIsNoticedAndAStateWithoutAnInitIsRefused() throws Exception {
        Path state = root.resolve("state.json");
        Files.writeString(state, """
                {"init_process_pid": 7, "init_process_start": 9, "cgroup_paths": {},
                 "config": {"namespaces": [{"type": "NEWUSER"}]}}""");
        assertThat(ExecTarget.read(state).userNamespace()).isTrue();
        Files.writeString(state, "{\"cgroup_paths\": {}}");
        assertThatThrownBy(() -> ExecTarget.read(state)).isInstanceOf(IOException.class).hasMessageContaining("no init process");
    }
}
