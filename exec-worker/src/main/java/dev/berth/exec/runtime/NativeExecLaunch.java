package dev.berth.exec.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.exec.oci.Capabilities;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The launch file of Berth's exec helper: an OCI process (the one `runtime exec --process` would
 * take) with what the runtime would read from its state, as NUL-terminated keys and values
 * (berth-exec.c lists the keys). Only what the helper can honour is written: a process it could
 * not run as the runtime would (a terminal, an AppArmor profile or SELinux label, a user
 * namespace, a capability or rlimit name it does not know) gets no launch file, and its exec goes
 * through the runtime instead.
 */
public final class NativeExecLaunch {
    /** RLIMIT_ names by resource number, as in Linux's asm-generic/resource.h. */
    private static final List<String> RLIMITS = List.of("RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK",
            "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
            "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME");

    /** The helper's table sizes (berth-exec.c): a process beyond them is left to the runtime. */
    private static final int MAX_GROUPS = 256;
    private static final int MAX_STRINGS = 4095;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    /** False once a value held a NUL, which the format (and execve) cannot carry. */
    private boolean encodable = true;

    private NativeExecLaunch() {
    }

    /**
     * The launch file's content, or null when the helper cannot run this process as the runtime
     * would.
     *
     * @param seccompFilters the container's filters as the helper copied them at its start; null
     *        when the container has no seccomp profile
     * @param directory the exec's directory, where the helper writes the pid file and finds the
     *        FIFOs {@link ForegroundExec} reads
     * @param stdin whether the process reads the helper's stdin (else /dev/null)
     */
    public static byte[] encode(String containerId, ExecTarget target, JsonNode process, Path seccompFilters, Path directory,
            boolean stdin) {
        if (process.path("user").path("additionalGids").size() > MAX_GROUPS || process.path("env").size() > MAX_STRINGS
                || process.path("args").size() > MAX_STRINGS || target.cgroupTasksV1().size() > 64
                || process.path("rlimits").size() > RLIMITS.size()) {
            return null;
        }
        if (target.userNamespace() || process.path("terminal").asBoolean()
                || !process.path("apparmorProfile").asText("").isEmpty() || !process.path("selinuxLabel").asText("").isEmpty()) {
            return null;
        }
        NativeExecLaunch launch = new NativeExecLaunch();
        launch.put("pid", Integer.toString(target.pid()));
        launch.put("start", Long.toString(target.startTicks()));
        for (Path tasks : target.cgroupTasksV1()) {
            launch.put("cgroup.v1", tasks.toString());
        }
        if (target.cgroupV2() != null) {
            launch.put("cgroup.v2", target.cgroupV2().toString());
        }
        if (seccompFilters != null) {
            launch.put("seccomp", seccompFilters.toString());
        }
        if (process.path("noNewPrivileges").asBoolean()) {
            launch.put("nnp", "1");
        }
        JsonNode user = process.path("user");
        launch.put("uid", Long.toString(user.path("uid").asLong()));
        launch.put("gid", Long.toString(user.path("gid").asLong()));
        for (JsonNode gid : user.path("additionalGids")) {
            launch.put("group", Long.toString(gid.asLong()));
        }
        if (user.has("umask")) {
            launch.put("umask", Long.toString(user.path("umask").asLong()));
        }
        JsonNode capabilities = process.path("capabilities");
        for (String set : List.of("bounding", "effective", "permitted", "inheritable", "ambient")) {
            long mask = 0;
            for (JsonNode name : capabilities.path(set)) {
                int bit = Capabilities.bit(name.asText());
                if (bit < 0) {
                    return null;
                }
                mask |= 1L << bit;
            }
            launch.put("cap." + set, Long.toUnsignedString(mask));
        }
        for (JsonNode rlimit : process.path("rlimits")) {
            int resource = RLIMITS.indexOf(rlimit.path("type").asText());
            if (resource < 0) {
                return null;
            }
            launch.put("rlimit", resource + " " + Long.toUnsignedString(rlimit.path("soft").asLong()) + " "
                    + Long.toUnsignedString(rlimit.path("hard").asLong()));
        }
        if (process.has("oomScoreAdj")) {
            launch.put("oom", Integer.toString(process.path("oomScoreAdj").asInt()));
        }
        // runc joins the session keyring it made for the container's init.
        launch.put("keyring", "_ses." + containerId);
        launch.put("cwd", process.path("cwd").asText("/").isEmpty() ? "/" : process.path("cwd").asText());
        for (JsonNode variable : process.path("env")) {
            launch.put("env", variable.asText());
        }
        if (process.path("args").isEmpty()) {
            return null;
        }
        for (JsonNode arg : process.path("args")) {
            launch.put("arg", arg.asText());
        }
        launch.put("dir", directory.toString());
        launch.put("stdout", directory.resolve(ForegroundExec.STDOUT_FIFO).toString());
        launch.put("stderr", directory.resolve(ForegroundExec.STDERR_FIFO).toString());
        launch.put("stdin", stdin ? "inherit" : "null");
        return launch.encodable ? launch.out.toByteArray() : null;
    }

    private void put(String key, String value) {
        encodable &= value.indexOf('\0') < 0;
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        out.write(k, 0, k.length);
        out.write(0);
        out.write(v, 0, v.length);
        out.write(0);
    }
}
