package dev.berth.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What `docker info` and the workers need to know about the kernel and the machine. */
public final class HostFacts {
    /** How the host mounts cgroups. */
    public enum CgroupMode {
        /** Only v1 controllers. */
        LEGACY,
        /** v1 controllers plus an (often empty) v2 hierarchy at /sys/fs/cgroup/unified. */
        HYBRID,
        /** Only v2, at /sys/fs/cgroup. */
        UNIFIED;

        /** The version Docker reports: "2" only when the v2 hierarchy holds the controllers. */
        public String dockerVersion() {
            return this == UNIFIED ? "2" : "1";
        }
    }

    private static final long CGROUP2_SUPER_MAGIC = 0x63677270L;
    private static final int UTS_FIELD = 65;

    private HostFacts() {
    }

    public static CgroupMode cgroupMode() {
        if (filesystemMagic(Path.of("/sys/fs/cgroup")) == CGROUP2_SUPER_MAGIC) {
            return CgroupMode.UNIFIED;
        }
        Path unified = Path.of("/sys/fs/cgroup/unified");
        if (Files.isDirectory(unified) && filesystemMagic(unified) == CGROUP2_SUPER_MAGIC) {
            return CgroupMode.HYBRID;
        }
        return CgroupMode.LEGACY;
    }

    /** statfs f_type of the path, or -1 when it cannot be read. */
    public static long filesystemMagic(Path path) {
        byte[] buffer = new byte[120];
        if (NativeAccess.libc().statfs(path.toString(), buffer) < 0) {
            return -1;
        }
        return ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    public static boolean overlaySupported() {
        try {
            return Files.readAllLines(Path.of("/proc/filesystems")).stream().anyMatch(l -> l.endsWith("\toverlay"));
        } catch (IOException e) {
            return false;
        }
    }

    /** uname fields: sysname, nodename, release, version, machine. */
    private static String uname(int field) {
        byte[] buffer = new byte[UTS_FIELD * 6];
        if (NativeAccess.libc().uname(buffer) < 0) {
            return "";
        }
        int start = field * UTS_FIELD;
        int end = start;
        while (end < start + UTS_FIELD && buffer[end] != 0) {
            end++;
        }
        return new String(buffer, start, end - start, StandardCharsets.UTF_8);
    }

    public static String hostname() {
        return uname(1);
    }

    public static String kernelVersion() {
        return uname(2);
    }

    public static String machine() {
        return uname(4);
    }

    /** Go's name for the architecture, as image configs and `docker version` use it. */
    public static String goArchitecture() {
        String machine = machine();
        switch (machine) {
            case "x86_64":
                return "amd64";
            case "aarch64":
                return "arm64";
            case "i686":
            case "i386":
                return "386";
            default:
                return machine.startsWith("arm") ? "arm" : machine;
        }
    }

    public static String operatingSystem() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/etc/os-release"));
            for (String line : lines) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "Linux";
    }

    public static long memoryTotalBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    String kib = line.replaceAll("[^0-9]", "");
                    return Long.parseLong(kib) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return 0;
    }

    public static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }
}
