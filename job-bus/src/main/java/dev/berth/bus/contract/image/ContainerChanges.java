package dev.berth.bus.contract.image;

import java.util.List;

/** Reply of {@code snapshot.changes}: every changed path, sorted, parents before children. */
public record ContainerChanges(List<Change> changes) {
    public ContainerChanges {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    /** What happened to one path. */
    public enum Kind {
        MODIFIED, ADDED, DELETED
    }

    /** One changed path, absolute inside the container. */
    public record Change(String path, Kind kind) {
    }
}
