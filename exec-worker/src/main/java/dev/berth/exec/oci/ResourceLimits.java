package dev.berth.exec.oci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.EngineException;
import dev.berth.bus.contract.container.HostConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * A container's resource limits (HostConfig's memory, CPU, pids, ulimits and /dev/shm size):
 * checked at create with dockerd's messages, and written into the OCI spec, whose runtime puts
 * them into the cgroup (v1 or v2) and the process's rlimits.
 */
public final class ResourceLimits {
    /** dockerd's floor for a memory limit or reservation. */
    static final long MIN_MEMORY = 6L * 1024 * 1024;
    static final long DEFAULT_CPU_PERIOD = 100_000;
    /** Linux's RLIMIT_* numbers by Docker's ulimit names. */
    static final Map<String, Integer> RLIMITS = Map.ofEntries(Map.entry("cpu", 0), Map.entry("fsize", 1),
            Map.entry("data", 2), Map.entry("stack", 3), Map.entry("core", 4), Map.entry("rss", 5), Map.entry("nproc", 6),
            Map.entry("nofile", 7), Map.entry("memlock", 8), Map.entry("as", 9), Map.entry("locks", 10),
            Map.entry("sigpending", 11), Map.entry("msgqueue", 12), Map.entry("nice", 13), Map.entry("rtprio", 14),
            Map.entry("rttime", 15));

    private ResourceLimits() {
    }

    /**
     * Refuses what dockerd refuses, with its words. {@code daemonHardLimit} gives this process's
     * hard limit of an rlimit number (-1 for unlimited): without CAP_SYS_RESOURCE the runtime
     * cannot set a container's above it, so such a ulimit is refused at create rather than at start.
     */
    public static void validate(HostConfig h, int hostCpus, IntFunction<Long> daemonHardLimit) {
        long memory = value(h.memory());
        long swap = value(h.memorySwap());
        long reservation = value(h.memoryReservation());
        if (memory < 0) {
            throw EngineException.invalid("invalid memory limit: " + memory);
        }
        if (memory > 0 && memory < MIN_MEMORY) {
            throw EngineException.invalid("Minimum memory limit allowed is 6MB");
        }
        if (swap > 0 && memory == 0) {
            throw EngineException.invalid("You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        if (swap > 0 && swap < memory) {
            throw EngineException.invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (reservation < 0 || (reservation > 0 && reservation < MIN_MEMORY)) {
            throw EngineException.invalid("Minimum memory reservation allowed is 6MB");
        }
        if (memory > 0 && reservation > 0 && memory < reservation) {
            throw EngineException.invalid("Minimum memory limit can not be less than memory reservation limit, see usage");
        }
        long nanoCpus = value(h.nanoCpus());
        if (nanoCpus > 0 && value(h.cpuPeriod()) > 0) {
            throw EngineException.invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (nanoCpus > 0 && value(h.cpuQuota()) > 0) {
            throw EngineException.invalid("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }
        if (nanoCpus < 0 || nanoCpus > hostCpus * 1_000_000_000L || (nanoCpus > 0 && nanoCpus < 10_000_000L)) {
            throw EngineException.invalid("Range of CPUs is from 0.01 to " + hostCpus + ".00, as there are only " + hostCpus
                    + " CPUs available");
        }
        long period = value(h.cpuPeriod());
        if (period != 0 && (period < 1000 || period > 1_000_000)) {
            throw EngineException.invalid("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        long quota = value(h.cpuQuota());
        if (quota > 0 && quota < 1000) {
            throw EngineException.invalid("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
        if (value(h.cpuShares()) < 0) {
            throw EngineException.invalid("invalid CPU shares: " + h.cpuShares());
        }
        String cpuset = h.cpusetCpus();
        if (cpuset != null && !cpuset.isEmpty()) {
            TreeSet<Integer> cpus = parseCpuList(cpuset);
            if (cpus.last() >= hostCpus) {
                throw EngineException.invalid("Requested CPUs are not available - requested " + cpuset + ", available: 0-"
                        + (hostCpus - 1));
            }
        }
        if (value(h.shmSize()) < 0) {
            throw EngineException.invalid("SHM size can not be less than 0");
        }
        for (HostConfig.Ulimit ulimit : h.ulimits() == null ? List.<HostConfig.Ulimit>of() : h.ulimits()) {
            Integer resource = ulimit == null ? null : RLIMITS.get(ulimit.name());
            if (resource == null) {
                throw EngineException.invalid("invalid ulimit type: " + (ulimit == null ? null : ulimit.name()));
            }
            long soft = value(ulimit.soft());
            long hard = value(ulimit.hard());
            if (soft > hard && hard >= 0) {
                throw EngineException.invalid("ulimit soft limit must be less than or equal to hard limit: " + soft + " > " + hard);
            }
            long daemonHard = daemonHardLimit.apply(resource);
            if (daemonHard >= 0 && (hard < 0 || hard > daemonHard)) {
                throw EngineException.invalid("cannot set ulimit " + ulimit.name() + " to " + (hard < 0 ? "unlimited" : hard)
                        + ": berthd's own hard limit is " + daemonHard + ", and without CAP_SYS_RESOURCE no process may raise it");
            }
        }
    }

    /** "0-2,4" as a set of CPU numbers; a malformed list is dockerd's 400. */
    static TreeSet<Integer> parseCpuList(String list) {
        TreeSet<Integer> cpus = new TreeSet<>();
        try {
            for (String part : list.split(",")) {
                int dash = part.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
                if (from < 0 || to < from) {
                    throw new NumberFormatException(part);
                }
                for (int cpu = from; cpu <= to; cpu++) {
                    cpus.add(cpu);
                }
            }
        } catch (NumberFormatException e) {
            throw EngineException.invalid("Invalid value " + list + " for cpuset cpus");
        }
        return cpus;
    }

    /**
     * Writes the limits into a spec made by {@link OciSpecBuilder}: linux.resources.memory, cpu
     * and pids, the process's rlimits, and the size of /dev/shm. Memory+swap is the cgroup v1
     * meaning the runtime takes (and converts for v2); Docker's default is twice the memory.
     */
    public static void apply(ObjectNode spec, HostConfig h) {
        ObjectNode resources = child(child(spec, "linux"), "resources");
        long memory = value(h.memory());
        long reservation = value(h.memoryReservation());
        ObjectNode memoryNode = spec.objectNode();
        if (memory > 0) {
            memoryNode.put("limit", memory);
            long swap = value(h.memorySwap());
            memoryNode.put("swap", swap == 0 ? memory * 2 : swap);
        }
        if (reservation > 0) {
            memoryNode.put("reservation", reservation);
        }
        if (Boolean.TRUE.equals(h.oomKillDisable())) {
            memoryNode.put("disableOOMKiller", true);
        }
        if (memoryNode.size() > 0) {
            resources.set("memory", memoryNode);
        }

        ObjectNode cpu = spec.objectNode();
        long nanoCpus = value(h.nanoCpus());
        if (nanoCpus > 0) {
            cpu.put("period", DEFAULT_CPU_PERIOD);
            cpu.put("quota", nanoCpus * DEFAULT_CPU_PERIOD / 1_000_000_000L);
        }
        if (value(h.cpuPeriod()) > 0) {
            cpu.put("period", h.cpuPeriod());
        }
        if (value(h.cpuQuota()) != 0) {
            cpu.put("quota", h.cpuQuota());
        }
        if (value(h.cpuShares()) > 0) {
            cpu.put("shares", h.cpuShares());
        }
        if (h.cpusetCpus() != null && !h.cpusetCpus().isEmpty()) {
            cpu.put("cpus", h.cpusetCpus());
        }
        if (cpu.size() > 0) {
            resources.set("cpu", cpu);
        }
        if (value(h.pidsLimit()) > 0) {
            resources.set("pids", spec.objectNode().put("limit", h.pidsLimit()));
        }

        applyUlimits((ObjectNode) spec.get("process"), h.ulimits());
        long shm = value(h.shmSize());
        if (shm > 0) {
            setShmSize(spec, shm);
        }
    }

    private static void applyUlimits(ObjectNode process, List<HostConfig.Ulimit> ulimits) {
        if (ulimits == null || ulimits.isEmpty()) {
            return;
        }
        List<String> types = new ArrayList<>();
        for (HostConfig.Ulimit ulimit : ulimits) {
            types.add("RLIMIT_" + ulimit.name().toUpperCase(java.util.Locale.ROOT));
        }
        if (!(process.get("rlimits") instanceof ArrayNode)) {
            process.set("rlimits", process.arrayNode());
        }
        ArrayNode rlimits = (ArrayNode) process.get("rlimits");
        for (Iterator<com.fasterxml.jackson.databind.JsonNode> it = rlimits.iterator(); it.hasNext(); ) {
            if (types.contains(it.next().path("type").asText())) {
                it.remove();
            }
        }
        for (HostConfig.Ulimit ulimit : ulimits) {
            rlimits.addObject().put("type", "RLIMIT_" + ulimit.name().toUpperCase(java.util.Locale.ROOT))
                    .put("hard", value(ulimit.hard())).put("soft", value(ulimit.soft()));
        }
    }

    /** /dev/shm's tmpfs takes its size from the spec's mount options. */
    private static void setShmSize(ObjectNode spec, long bytes) {
        for (com.fasterxml.jackson.databind.JsonNode mount : spec.path("mounts")) {
            if ("/dev/shm".equals(mount.path("destination").asText())) {
                ArrayNode options = (ArrayNode) mount.get("options");
                for (int i = options.size() - 1; i >= 0; i--) {
                    if (options.get(i).asText().startsWith("size=")) {
                        options.remove(i);
                    }
                }
                options.add("size=" + bytes);
            }
        }
    }

    private static ObjectNode child(ObjectNode parent, String name) {
        if (!(parent.get(name) instanceof ObjectNode)) {
            parent.set(name, parent.objectNode());
        }
        return (ObjectNode) parent.get(name);
    }

    private static long value(Long value) {
        return value == null ? 0 : value;
    }
}
