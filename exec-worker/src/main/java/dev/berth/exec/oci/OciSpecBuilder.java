package dev.berth.exec.oci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
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
    static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    private OciSpecBuilder() {
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = array();
        values.forEach(array::add);
        return array;
    }

    private static ArrayNode numbers(List<Integer> values) {
        ArrayNode array = array();
        values.forEach(array::add);
        return array;
    }

    /** The spec as JSON, ready to be written as the bundle's config.json. */
    public static ObjectNode build(RuntimeSpec spec) {
        List<String> capabilities = spec.security().capabilities();
        ObjectNode user = object().put("uid", spec.user().uid()).put("gid", spec.user().gid());
        user.set("additionalGids", numbers(spec.user().additionalGids()));
        ObjectNode caps = object();
        caps.set("bounding", strings(capabilities));
        caps.set("effective", strings(capabilities));
        caps.set("permitted", strings(capabilities));
        ObjectNode process = object().put("terminal", spec.tty());
        process.set("user", user);
        process.set("args", strings(spec.args()));
        process.set("env", strings(spec.env()));
        process.put("cwd", spec.cwd());
        process.set("capabilities", caps);
        process.set("rlimits", array().add(object().put("type", "RLIMIT_NOFILE")
                .put("hard", spec.nofileLimit()).put("soft", spec.nofileLimit())));
        process.put("noNewPrivileges", spec.security().noNewPrivileges());
        if (spec.tty()) {
            process.set("consoleSize", object().put("height", 24).put("width", 80));
        }

        ObjectNode linux = object().put("cgroupsPath", spec.cgroupsPath());
        linux.set("namespaces", namespaces(spec));
        ObjectNode resources = object();
        ArrayNode deviceRules = devices(spec.privileged());
        ArrayNode deviceNodes = array();
        for (RuntimeSpec.Device device : spec.devices()) {
            deviceNodes.add(object().put("path", device.path()).put("type", device.type()).put("major", device.major())
                    .put("minor", device.minor()).put("fileMode", device.fileMode()).put("uid", device.uid())
                    .put("gid", device.gid()));
            deviceRules.add(object().put("allow", true).put("type", device.type()).put("major", device.major())
                    .put("minor", device.minor()).put("access", device.access()));
        }
        resources.set("devices", deviceRules);
        linux.set("resources", resources);
        if (!deviceNodes.isEmpty()) {
            linux.set("devices", deviceNodes);
        }
        if (spec.security().seccomp() != null) {
            linux.set("seccomp", spec.security().seccomp());
        }
        if (!spec.security().maskedPaths().isEmpty()) {
            linux.set("maskedPaths", strings(spec.security().maskedPaths()));
        }
        if (!spec.security().readonlyPaths().isEmpty()) {
            linux.set("readonlyPaths", strings(spec.security().readonlyPaths()));
        }
        if (spec.netnsPath() != null) {
            linux.set("sysctl", object()
                    .put("net.ipv4.ip_unprivileged_port_start", "0")
                    .put("net.ipv4.ping_group_range", "0 2147483647"));
        }

        ObjectNode config = object().put("ociVersion", "1.0.2");
        config.set("process", process);
        config.set("root", object().put("path", spec.rootfs().toString()).put("readonly", spec.readonlyRootfs()));
        config.put("hostname", spec.hostname());
        config.set("mounts", mounts(spec));
        config.set("linux", linux);
        return config;
    }

    private static ArrayNode namespaces(RuntimeSpec spec) {
        ArrayNode namespaces = array()
                .add(object().put("type", "pid"))
                .add(object().put("type", "ipc"))
                .add(object().put("type", "uts"))
                .add(object().put("type", "mount"));
        if (spec.netnsPath() != null) {
            namespaces.add(object().put("type", "network").put("path", spec.netnsPath().toString()));
        }
        if (spec.cgroupNamespace()) {
            namespaces.add(object().put("type", "cgroup"));
        }
        return namespaces;
    }

    private static ArrayNode devices(boolean privileged) {
        if (privileged) {
            return array().add(device(true, null, null, null));
        }
        return array()
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

    private static ObjectNode device(boolean allow, String type, Integer major, Integer minor) {
        ObjectNode rule = object().put("allow", allow).put("access", "rwm");
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

    /** The standard mounts, then the user's; a user's mount replaces a standard one at its destination. */
    private static ArrayNode mounts(RuntimeSpec spec) {
        List<String> taken = spec.mounts().stream().map(RuntimeSpec.Mount::destination).toList();
        ArrayNode mounts = array();
        for (ObjectNode standard : standardMounts(spec)) {
            if (!taken.contains(standard.get("destination").asText())) {
                mounts.add(standard);
            }
        }
        // parents before children, so that /data/logs is not hidden by a later mount of /data
        spec.mounts().stream()
                .sorted(Comparator.comparingLong(m -> m.destination().chars().filter(c -> c == '/').count()))
                .forEach(m -> mounts.add(mount(m.destination(), m.type(), m.source(), m.options().toArray(String[]::new))));
        return mounts;
    }

    /**
     * Where standardMounts puts the kernel's file systems and the /dev tmpfs: docker cp shows
     * them as the image's directories, not their content, as dockerd does.
     */
    public static final List<String> STANDARD_DESTINATIONS =
            List.of("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm");

    private static List<ObjectNode> standardMounts(RuntimeSpec spec) {
        boolean privileged = spec.privileged();
        List<ObjectNode> mounts = new ArrayList<>(List.of(
                mount("/proc", "proc", "proc", "nosuid", "noexec", "nodev"),
                mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"),
                mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"),
                mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", privileged ? "rw" : "ro"),
                mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", privileged ? "rw" : "ro"),
                mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"),
                mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=67108864")));
        for (RuntimeSpec.HostFile file : spec.hostFiles()) {
            ObjectNode bind = mount(file.destination(), "bind", file.source().toString(), "rbind", "rprivate");
            if (file.readonly()) {
                ((ArrayNode) bind.get("options")).add("ro");
            }
            mounts.add(bind);
        }
        return mounts;
    }

    private static ObjectNode mount(String destination, String type, String source, String... options) {
        ObjectNode mount = object().put("destination", destination).put("type", type).put("source", source);
        mount.set("options", strings(List.of(options)));
        return mount;
    }
}
