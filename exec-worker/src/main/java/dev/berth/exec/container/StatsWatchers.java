package dev.berth.exec.container;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which containers' stats are being streamed, and to whom: a tick reads each watched container
 * once, however many clients watch it, and hands that sample to each of them. Confined to one
 * thread (the exec worker's context); {@code W} is whatever a watcher is there.
 */
public final class StatsWatchers<W> {
    private record Watched<W>(Container container, List<W> watchers) {
    }

    private final Map<String, Watched<W>> byId = new LinkedHashMap<>();

    public void add(Container container, W watcher) {
        byId.computeIfAbsent(container.id(), id -> new Watched<>(container, new ArrayList<>())).watchers().add(watcher);
    }

    /** Forgets the watcher, and the container once nobody watches it. */
    public void remove(String containerId, W watcher) {
        Watched<W> watched = byId.get(containerId);
        if (watched != null && watched.watchers().remove(watcher) && watched.watchers().isEmpty()) {
            byId.remove(containerId);
        }
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    /** The containers to read this tick, each once. */
    public List<Container> containers() {
        List<Container> containers = new ArrayList<>(byId.size());
        byId.values().forEach(w -> containers.add(w.container()));
        return containers;
    }

    /** A copy: a watcher may leave while its sample is being handed out. */
    public List<W> watchersOf(String containerId) {
        Watched<W> watched = byId.get(containerId);
        return watched == null ? List.of() : List.copyOf(watched.watchers());
    }
}
