package dev.berth.exec.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.JobCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What an exec joins, as `runtime exec` reads it from the runtime's state of the container: the
 * init process (pid and start time, so that a reused pid is never taken for it) and its cgroups.
 * Read once per start of a container: none of it changes while the init process lives.
 *
 * @param cgroupTasksV1 the "tasks" file of the container's cgroup in each v1 hierarchy, once per
 *        directory
 * @param cgroupV2 the container's v2 cgroup directory (on a hybrid host, in the controller-less
 *        v2 hierarchy), or null
 * @param userNamespace whether the container has a user namespace of its own, which the helper
 *        does not join (such a container execs through the runtime)
 */
public record ExecTarget(int pid, long startTicks, List<Path> cgroupTasksV1, Path cgroupV2, boolean userNamespace) {

    /** Reads runc's state.json. */
    public static ExecTarget read(Path stateFile) throws IOException {
        JsonNode state = JobCodec.mapper().readTree(stateFile.toFile());
        int pid = state.path("init_process_pid").asInt();
        long start = state.path("init_process_start").asLong();
        if (pid <= 0 || start <= 0) {
            throw new IOException("the runtime's state " + stateFile + " names no init process");
        }
        Set<Path> tasks = new LinkedHashSet<>();
        Path v2 = null;
        for (var entries = state.path("cgroup_paths").fields(); entries.hasNext(); ) {
            var entry = entries.next();
            // runc names the v2 (unified) hierarchy "", and each v1 one by its controller.
            if (entry.getKey().isEmpty()) {
                v2 = Path.of(entry.getValue().asText());
            } else {
                // v1's cpu and cpuacct can be links to one directory: it is joined once.
                tasks.add(Path.of(entry.getValue().asText()).resolve("tasks").toRealPath());
            }
        }
        boolean userNamespace = false;
        for (JsonNode namespace : state.path("config").path("namespaces")) {
            userNamespace |= "NEWUSER".equals(namespace.path("type").asText());
        }
        return new ExecTarget(pid, start, new ArrayList<>(tasks), v2, userNamespace);
    }
}
