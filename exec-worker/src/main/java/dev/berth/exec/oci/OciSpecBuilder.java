package dev.berth.exec.oci;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Writes the OCI runtime spec (config.json) of a container with Docker's defaults: its capability
 * set, masked and read-only /proc paths, the device allow-list, the standard mounts.
 */
public final class OciSpecBuilder {
    /** Docker's default capabilities. */
    static final List<String> DEFAULT_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    /** What privileged means: every capability the daemon itself may hold. */
    private static final List<String> PRIVILEGED_CAPABILITIES = Capabilities.ofThisProcess();
    private static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    private static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    private OciSpecBuilder() {
    }

    public static JsonObject build(RuntimeSpec spec) {
        List<String> capabilities = spec.privileged() ? PRIVILEGED_CAPABILITIES : DEFAULT_CAPABILITIES;
        JsonArray caps = new JsonArray(capabilities);
        JsonObject process = new JsonObject()
                .put("terminal", spec.tty())
                .put("user", new JsonObject().put("uid", spec.user().uid()).put("gid", spec.user().gid())
                        .put("additionalGids", new JsonArray(spec.user().additionalGids())))
                .put("args", new JsonArray(spec.args()))
                .put("env", new JsonArray(spec.env()))
                .put("cwd", spec.cwd())
                .put("capabilities", new JsonObject().put("bounding", caps).put("effective", caps.copy())
                        .put("permitted", caps.copy()))
                .put("rlimits", new JsonArray().add(new JsonObject().put("type", "RLIMIT_NOFILE")
                        .put("hard", spec.nofileLimit()).put("soft", spec.nofileLimit())))
                .put("noNewPrivileges", false);
        if (spec.tty()) {
            process.put("consoleSize", new JsonObject().put("height", 24).put("width", 80));
        }

        JsonObject linux = new JsonObject()
                .put("cgroupsPath", spec.cgroupsPath())
                .put("namespaces", namespaces(spec))
                .put("resources", new JsonObject().put("devices", devices(spec.privileged())));
        if (!spec.privileged()) {
            linux.put("maskedPaths", new JsonArray(MASKED_PATHS)).put("readonlyPaths", new JsonArray(READONLY_PATHS));
        }
        if (spec.netnsPath() != null) {
            linux.put("sysctl", new JsonObject()
                    .put("net.ipv4.ip_unprivileged_port_start", "0")
                    .put("net.ipv4.ping_group_range", "0 2147483647"));
        }

        return new JsonObject()
                .put("ociVersion", "1.0.2")
                .put("process", process)
                .put("root", new JsonObject().put("path", spec.rootfs().toString()).put("readonly", spec.readonlyRootfs()))
                .put("hostname", spec.hostname())
                .put("mounts", mounts(spec))
                .put("linux", linux);
    }

    private static JsonArray namespaces(RuntimeSpec spec) {
        JsonArray namespaces = new JsonArray()
                .add(new JsonObject().put("type", "pid"))
                .add(new JsonObject().put("type", "ipc"))
                .add(new JsonObject().put("type", "uts"))
                .add(new JsonObject().put("type", "mount"));
        if (spec.netnsPath() != null) {
            namespaces.add(new JsonObject().put("type", "network").put("path", spec.netnsPath().toString()));
        }
        if (spec.cgroupNamespace()) {
            namespaces.add(new JsonObject().put("type", "cgroup"));
        }
        return namespaces;
    }

    private static JsonArray devices(boolean privileged) {
        if (privileged) {
            return new JsonArray().add(device(true, null, null, null));
        }
        return new JsonArray()
                .add(device(false, null, null, null))
                .add(device(true, "c", null, null).put("access", "m"))
                .add(device(true, "b", null, null).put("access", "m"))
                .add(device(true, "c", 1, 3))   // null
                .add(device(true, "c", 1, 5))   // zero
                .add(device(true, "c", 1, 7))   // full
                .add(device(true, "c", 1, 8))   // random
                .add(device(true, "c", 1, 9))   // urandom
                .add(device(true, "c", 5, 0))   // tty
                .add(device(true, "c", 5, 1))   // console
                .add(device(true, "c", 5, 2))   // ptmx
                .add(device(true, "c", 136, null)) // pts
                .add(device(true, "c", 10, 200)); // tun
    }

    private static JsonObject device(boolean allow, String type, Integer major, Integer minor) {
        JsonObject rule = new JsonObject().put("allow", allow).put("access", "rwm");
        if (type != null) {
            rule.put("type", type);
        }
        if (major != null) {
            rule.put("major", major);
        }
        if (minor != null) {
            rule.put("minor", minor);
        }
        return rule;
    }

    private static JsonArray mounts(RuntimeSpec spec) {
        boolean privileged = spec.privileged();
        JsonArray mounts = new JsonArray()
                .add(mount("/proc", "proc", "proc", "nosuid", "noexec", "nodev"))
                .add(mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"))
                .add(mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"))
                .add(mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", privileged ? "rw" : "ro"))
                .add(mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", privileged ? "rw" : "ro"))
                .add(mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"))
                .add(mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=67108864"));
        for (RuntimeSpec.HostFile file : spec.hostFiles()) {
            JsonObject bind = mount(file.destination(), "bind", file.source().toString(), "rbind", "rprivate");
            if (file.readonly()) {
                bind.getJsonArray("options").add("ro");
            }
            mounts.add(bind);
        }
        return mounts;
    }

    private static JsonObject mount(String destination, String type, String source, String... options) {
        return new JsonObject().put("destination", destination).put("type", type).put("source", source)
                .put("options", new JsonArray(List.of(options)));
    }
}
