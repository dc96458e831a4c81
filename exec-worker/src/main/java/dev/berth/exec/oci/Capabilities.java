package dev.berth.exec.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Linux capability names by bit, and the daemon's own bounding set: a privileged container gets
 * every capability the daemon itself may hold, never more (the runtime cannot grant the rest).
 */
public final class Capabilities {
    /** Capability names in bit order, CAP_CHOWN = 0. */
    private static final List<String> BY_BIT = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
            "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
            "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    private Capabilities() {
    }

    /** Whether Linux has a capability of this name (CAP_NET_ADMIN). */
    public static boolean known(String name) {
        return BY_BIT.contains(name);
    }

    /** The capability's bit (CAP_CHOWN is 0), or -1 for a name Linux does not know. */
    public static int bit(String name) {
        return BY_BIT.indexOf(name);
    }

    /** The names set in a hexadecimal capability mask, as /proc/&lt;pid&gt;/status prints it. */
    public static List<String> fromMask(String hex) {
        long mask = Long.parseUnsignedLong(hex.trim(), 16);
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < BY_BIT.size(); bit++) {
            if ((mask & (1L << bit)) != 0) {
                names.add(BY_BIT.get(bit));
            }
        }
        return names;
    }

    /** This process's bounding set; all known capabilities if it cannot be read. */
    public static List<String> ofThisProcess() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapBnd:")) {
                    return fromMask(line.substring("CapBnd:".length()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return BY_BIT;
    }
}
