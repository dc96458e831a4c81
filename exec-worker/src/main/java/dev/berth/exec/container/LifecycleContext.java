package dev.berth.exec.container;

import dev.berth.bus.EngineEvent;
import dev.berth.bus.JobCodec;
import dev.berth.exec.runtime.Conmon;
import dev.berth.exec.runtime.NativeExecHelper;
import dev.berth.exec.runtime.OciRuntime;
import dev.berth.exec.store.ContainerStore;
import dev.berth.exec.volume.VolumeService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What the parts of a container's lifecycle share: the records, the other workers, the runtime
 * and conmon, where bundles live, and the executor for work that blocks (disk, processes).
 */
public final class LifecycleContext {
    /** Where containers' bundles live and how they run. */
    public record Settings(Path runDir, String cgroupParent, long nofileLimit, boolean cgroupNamespace, List<String> defaultDns) {
    }

    final ContainerRegistry registry;
    final ContainerStore store;
    final Peers peers;
    final OciRuntime runtime;
    final Conmon conmon;
    final Settings settings;
    final Executor blocking;
    final VolumeService volumes;
    final NativeExecHelper execHelper;

    public LifecycleContext(ContainerRegistry registry, ContainerStore store, Peers peers, OciRuntime runtime, Conmon conmon,
            NativeExecHelper execHelper, Settings settings, Executor blocking, VolumeService volumes) {
        this.registry = registry;
        this.store = store;
        this.peers = peers;
        this.runtime = runtime;
        this.conmon = conmon;
        this.settings = settings;
        this.blocking = blocking;
        this.volumes = volumes;
        this.execHelper = execHelper;
    }

    Path bundle(Container c) {
        return settings.runDir().resolve("containers").resolve(c.id());
    }

    Path seccompFilters(Container c) {
        return bundle(c).resolve("seccomp.bpf");
    }

    void persist(Container c) {
        try {
            store.update(c.id(), c.name(), JobCodec.encodeToString(c.toRecord()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void publish(Container c, String action, Map<String, String> extra) {
        Map<String, String> attributes = new HashMap<>();
        attributes.putAll(c.labels());
        attributes.put("name", c.name());
        attributes.put("image", c.imageRef().isEmpty() ? c.imageId() : c.imageRef());
        attributes.putAll(extra);
        peers.publish(EngineEvent.now("container", action, c.id(), attributes));
    }

    /** Runs blocking work on the blocking executor. */
    <T> CompletableFuture<T> blocking(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, blocking);
    }

}
