package dev.berth.exec.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.EngineException;
import dev.berth.bus.JobCodec;
import dev.berth.bus.contract.container.ContainerConfig;
import dev.berth.bus.contract.container.CreateContainer;
import dev.berth.bus.contract.container.HostConfig;
import dev.berth.bus.contract.container.NetworkingConfig;
import dev.berth.exec.oci.ResourceLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * `docker update`: new resource limits for a container, written to its cgroup by the runtime
 * when it runs and kept in its record for the next start, and a new restart policy, which the
 * next exit follows. A zero or empty value leaves a limit
 * as it is, as with dockerd; what Berth does not act on is refused as at create.
 */
final class ContainerUpdater {
    /** The limits an update may change, by their HostConfig names. */
    private static final List<String> UPDATABLE = List.of("Memory", "MemoryReservation", "MemorySwap", "NanoCpus",
            "CpuShares", "CpuPeriod", "CpuQuota", "CpusetCpus", "PidsLimit");

    private final LifecycleContext context;
    private final int hostCpus;
    private final IntFunction<Long> daemonHardLimit;

    ContainerUpdater(LifecycleContext context, int hostCpus, IntFunction<Long> daemonHardLimit) {
        this.context = context;
        this.hostCpus = hostCpus;
        this.daemonHardLimit = daemonHardLimit;
    }

    CompletableFuture<Void> update(Container c, HostConfig changes) {
        HostConfig requested = changes == null ? HostConfig.empty() : changes;
        UnsupportedOptions.check(new CreateContainer(null, ContainerConfig.empty(), requested, new NetworkingConfig(null)));
        return c.serially(context.blocking, () -> context.blocking(() -> {
            checkRestartPolicy(c.hostConfig(), requested);
            HostConfig updated = merge(c.hostConfig(), requested);
            long memory = orZero(updated.memory());
            long swap = orZero(updated.memorySwap());
            if (orZero(requested.memory()) > 0 && orZero(requested.memorySwap()) == 0 && swap > 0 && memory > swap) {
                throw EngineException.invalid("Memory limit should be smaller than already set memoryswap limit, "
                        + "update the memoryswap at the same time");
            }
            ResourceLimits.validate(updated, hostCpus, daemonHardLimit);
            if (c.isRunning()) {
                try {
                    context.runtime.update(c.id(), runtimeOptions(updated, requested));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            c.updateHostConfig(updated);
            context.persist(c);
            context.publish(c, "update", Map.of());
            return null;
        }));
    }

    /** `docker update --restart`: a policy Berth knows, and none but "no" for an auto-removed container, as dockerd. */
    static void checkRestartPolicy(HostConfig current, HostConfig changes) {
        String policy = changes.restartPolicyName();
        if (policy.isEmpty()) {
            return;
        }
        if (!List.of("no", "always", "unless-stopped", "on-failure").contains(policy)) {
            throw EngineException.invalid("invalid restart policy '" + policy + "'");
        }
        if (current.autoRemoveEnabled() && !policy.equals("no")) {
            throw EngineException.invalid("Restart policy cannot be updated because AutoRemove is enabled for the container");
        }
    }

    /** The container's HostConfig with every non-zero limit and a named restart policy of the update put in. */
    static HostConfig merge(HostConfig current, HostConfig changes) {
        ObjectNode merged = JobCodec.mapper().valueToTree(current);
        JsonNode requested = JobCodec.mapper().valueToTree(changes);
        if (!changes.restartPolicyName().isEmpty()) {
            merged.set("RestartPolicy", requested.get("RestartPolicy"));
        }
        for (String field : UPDATABLE) {
            JsonNode value = requested.get(field);
            boolean set = value != null && !value.isNull() && (value.isTextual() ? !value.asText().isEmpty() : value.asLong() != 0);
            if (set) {
                merged.set(field, value);
            }
        }
        try {
            return JobCodec.mapper().treeToValue(merged, HostConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw EngineException.internal("cannot merge the update: " + e.getMessage(), e);
        }
    }

    /** runc update's options for the new limits; memory goes with memory+swap, as the spec has them. */
    private static List<String> runtimeOptions(HostConfig updated, HostConfig requested) {
        List<String> options = new ArrayList<>();
        long memory = orZero(updated.memory());
        if (orZero(requested.memory()) > 0 || orZero(requested.memorySwap()) != 0) {
            long swap = orZero(updated.memorySwap());
            options.add("--memory=" + memory);
            options.add("--memory-swap=" + (swap == 0 ? memory * 2 : swap));
        }
        if (orZero(requested.memoryReservation()) > 0) {
            options.add("--memory-reservation=" + updated.memoryReservation());
        }
        if (orZero(requested.nanoCpus()) > 0) {
            options.add("--cpu-period=100000");
            options.add("--cpu-quota=" + updated.nanoCpus() * 100_000 / 1_000_000_000L);
        }
        if (orZero(requested.cpuPeriod()) > 0) {
            options.add("--cpu-period=" + updated.cpuPeriod());
        }
        if (orZero(requested.cpuQuota()) != 0) {
            options.add("--cpu-quota=" + updated.cpuQuota());
        }
        if (orZero(requested.cpuShares()) > 0) {
            options.add("--cpu-share=" + updated.cpuShares());
        }
        if (requested.cpusetCpus() != null && !requested.cpusetCpus().isEmpty()) {
            options.add("--cpuset-cpus=" + updated.cpusetCpus());
        }
        if (orZero(requested.pidsLimit()) > 0) {
            options.add("--pids-limit=" + updated.pidsLimit());
        }
        return options;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
