package dev.berth.bus.contract.image;

import java.util.List;

/**
 * Arguments of {@code snapshot.changes}: the container whose snapshot to compare with its image,
 * and the paths its runtime mounts files over (/etc/hosts …): the empty files runc creates there
 * are the runtime's, not the container's changes.
 */
public record ContainerChangesRequest(String id, List<String> mountPoints) {
    public ContainerChangesRequest {
        mountPoints = mountPoints == null ? List.of() : List.copyOf(mountPoints);
    }
}
