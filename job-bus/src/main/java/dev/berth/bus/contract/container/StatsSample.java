package dev.berth.bus.contract.container;

import java.util.List;
import java.util.Map;

/**
 * One reading of a container's cgroup and network counters (container.stats chunks). The
 * gateway renders Docker's stats JSON from two consecutive samples (CPU use is a difference).
 *
 * @param readNanos when it was read, unix nanoseconds
 * @param cpuTotalNanos CPU time of the container's processes
 * @param perCpuNanos the same per CPU (cgroup v1), or empty
 * @param systemCpuNanos the host's CPU time (all CPUs), from /proc/stat
 * @param memoryStats the memory controller's memory.stat counters
 * @param ioServiceBytes block I/O as Docker lists it: major, minor, op (read, write …), value
 */
public record StatsSample(String id, String name, long readNanos, boolean running, long cpuTotalNanos, long cpuUserNanos,
        long cpuKernelNanos, List<Long> perCpuNanos, long systemCpuNanos, int onlineCpus, long memoryUsage,
        long memoryMaxUsage, long memoryLimit, Map<String, Long> memoryStats, long pidsCurrent, long pidsLimit,
        List<BlkioEntry> ioServiceBytes, Map<String, NetworkCounters> networks) {

    public record BlkioEntry(long major, long minor, String op, long value) {
    }

    public record NetworkCounters(long rxBytes, long rxPackets, long rxErrors, long rxDropped, long txBytes, long txPackets,
            long txErrors, long txDropped) {
    }
}
