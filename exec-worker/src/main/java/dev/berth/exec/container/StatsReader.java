package dev.berth.exec.container;

import dev.berth.bus.contract.container.StatsSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a container's resource use from its cgroup (v1 controllers, or the v2 unified files),
 * the host's CPU time from /proc/stat, and its network counters from /proc/&lt;pid&gt;/net/dev
 * (the container's network namespace). Blocking: file reads only, no process.
 */
public final class StatsReader {
    private static final long NANOS_PER_TICK = 1_000_000_000L / 100;
    /** Compiled once: String.split with a regex compiles it at every call, many per sample. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern NOT_DIGIT = Pattern.compile("\\D");

    private final Path cgroupRoot;
    private final String cgroupParent;
    private final boolean unified;

    /** @param cgroupRoot /sys/fs/cgroup; unified: the v2 hierarchy holds the controllers */
    public StatsReader(Path cgroupRoot, String cgroupParent, boolean unified) {
        this.cgroupRoot = cgroupRoot;
        this.cgroupParent = cgroupParent.startsWith("/") ? cgroupParent.substring(1) : cgroupParent;
        this.unified = unified;
    }

    public StatsSample read(Container c) {
        return read(c, HostCounters.read());
    }

    /**
     * One sample of each container, in order, with the host's CPU time and memory read once for
     * all of them, as dockerd's collector does at each tick.
     */
    public List<StatsSample> readAll(List<Container> containers) {
        HostCounters host = HostCounters.read();
        List<StatsSample> samples = new ArrayList<>(containers.size());
        for (Container c : containers) {
            samples.add(read(c, host));
        }
        return samples;
    }

    private StatsSample read(Container c, HostCounters host) {
        long now = Instant.now().toEpochMilli() * 1_000_000L;
        if (!c.isRunning()) {
            return new StatsSample(c.id(), c.name(), now, false, 0, 0, 0, List.of(), host.systemCpuNanos(), host.cpus(), 0, 0, 0,
                    Map.of(), 0, 0, List.of(), Map.of());
        }
        return unified ? readV2(c, now, host) : readV1(c, now, host);
    }

    /** What every container's sample of one tick shares. */
    private record HostCounters(long systemCpuNanos, long memory, int cpus) {
        static HostCounters read() {
            return new HostCounters(StatsReader.systemCpuNanos(), StatsReader.hostMemory(), Runtime.getRuntime().availableProcessors());
        }
    }

    private Path v1(String controller, Container c, String file) {
        return cgroupRoot.resolve(controller).resolve(cgroupParent).resolve(c.id()).resolve(file);
    }

    private StatsSample readV1(Container c, long now, HostCounters host) {
        Map<String, Long> cpuStat = keyValues(v1("cpuacct", c, "cpuacct.stat"));
        List<Long> perCpu = new ArrayList<>();
        for (String value : WHITESPACE.split(text(v1("cpuacct", c, "cpuacct.usage_percpu")).trim())) {
            if (!value.isEmpty()) {
                perCpu.add(parse(value));
            }
        }
        Map<String, Long> memoryStats = keyValues(v1("memory", c, "memory.stat"));
        long limit = number(v1("memory", c, "memory.limit_in_bytes"));
        long hostMemory = host.memory();
        List<StatsSample.BlkioEntry> blkio = new ArrayList<>();
        for (String line : text(v1("blkio", c, "blkio.throttle.io_service_bytes_recursive")).split("\n")) {
            String[] fields = WHITESPACE.split(line.trim());
            if (fields.length == 3 && fields[0].contains(":")) {
                String[] device = fields[0].split(":");
                blkio.add(new StatsSample.BlkioEntry(parse(device[0]), parse(device[1]), fields[1].toLowerCase(java.util.Locale.ROOT),
                        parse(fields[2])));
            }
        }
        return new StatsSample(c.id(), c.name(), now, true, number(v1("cpuacct", c, "cpuacct.usage")),
                cpuStat.getOrDefault("user", 0L) * NANOS_PER_TICK, cpuStat.getOrDefault("system", 0L) * NANOS_PER_TICK, perCpu,
                host.systemCpuNanos(), host.cpus(), number(v1("memory", c, "memory.usage_in_bytes")),
                number(v1("memory", c, "memory.max_usage_in_bytes")), limit > 0 && limit < hostMemory ? limit : hostMemory,
                memoryStats, number(v1("pids", c, "pids.current")), number(v1("pids", c, "pids.max")), blkio, networks(c.pid()));
    }

    private StatsSample readV2(Container c, long now, HostCounters host) {
        Path dir = cgroupRoot.resolve(cgroupParent).resolve(c.id());
        Map<String, Long> cpuStat = keyValues(dir.resolve("cpu.stat"));
        long limit = number(dir.resolve("memory.max"));
        long hostMemory = host.memory();
        List<StatsSample.BlkioEntry> blkio = new ArrayList<>();
        for (String line : text(dir.resolve("io.stat")).split("\n")) {
            String[] fields = WHITESPACE.split(line.trim());
            if (fields.length > 1 && fields[0].contains(":")) {
                String[] device = fields[0].split(":");
                for (int i = 1; i < fields.length; i++) {
                    String[] kv = fields[i].split("=");
                    if (kv.length == 2 && (kv[0].equals("rbytes") || kv[0].equals("wbytes"))) {
                        blkio.add(new StatsSample.BlkioEntry(parse(device[0]), parse(device[1]),
                                kv[0].equals("rbytes") ? "read" : "write", parse(kv[1])));
                    }
                }
            }
        }
        return new StatsSample(c.id(), c.name(), now, true, cpuStat.getOrDefault("usage_usec", 0L) * 1000,
                cpuStat.getOrDefault("user_usec", 0L) * 1000, cpuStat.getOrDefault("system_usec", 0L) * 1000, List.of(),
                host.systemCpuNanos(), host.cpus(), number(dir.resolve("memory.current")), 0,
                limit > 0 && limit < hostMemory ? limit : hostMemory, keyValues(dir.resolve("memory.stat")),
                number(dir.resolve("pids.current")), number(dir.resolve("pids.max")), blkio, networks(c.pid()));
    }

    /** The host's CPU time of all CPUs (user to steal), in nanoseconds, as dockerd reads it. */
    static long systemCpuNanos() {
        for (String line : text(Path.of("/proc/stat")).split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] fields = WHITESPACE.split(line.trim());
                long ticks = 0;
                for (int i = 1; i < Math.min(fields.length, 9); i++) {
                    ticks += parse(fields[i]);
                }
                return ticks * NANOS_PER_TICK;
            }
        }
        return 0;
    }

    private static long hostMemory() {
        for (String line : text(Path.of("/proc/meminfo")).split("\n")) {
            if (line.startsWith("MemTotal:")) {
                return parse(NOT_DIGIT.matcher(line).replaceAll("")) * 1024;
            }
        }
        return Long.MAX_VALUE;
    }

    /** Interface counters from the namespace of the container's init; the loopback is left out, as dockerd does. */
    static Map<String, StatsSample.NetworkCounters> networks(int pid) {
        Map<String, StatsSample.NetworkCounters> networks = new LinkedHashMap<>();
        if (pid <= 0) {
            return networks;
        }
        String[] lines = text(Path.of("/proc/" + pid + "/net/dev")).split("\n");
        for (int i = 2; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim();
            String[] f = WHITESPACE.split(lines[i].substring(colon + 1).trim());
            if (name.equals("lo") || f.length < 16) {
                continue;
            }
            networks.put(name, new StatsSample.NetworkCounters(parse(f[0]), parse(f[1]), parse(f[2]), parse(f[3]), parse(f[8]),
                    parse(f[9]), parse(f[10]), parse(f[11])));
        }
        return networks;
    }

    private static Map<String, Long> keyValues(Path file) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : text(file).split("\n")) {
            String[] fields = WHITESPACE.split(line.trim());
            if (fields.length == 2) {
                values.put(fields[0], parse(fields[1]));
            }
        }
        return values;
    }

    private static long number(Path file) {
        return parse(text(file).trim());
    }

    /** A counter; "max" (no limit) and anything unreadable is 0. */
    private static long parse(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
