package dev.berth.graph.image;

import dev.berth.graph.content.Digest;

/**
 * Where the graph worker reports image events in `docker events` terms: pull, push, load, save,
 * import, create (a commit or a build step), tag, untag, delete, and prune.
 */
@FunctionalInterface
public interface ImageEvents {
    void publish(String action, Digest image, String name);

    /**
     * `docker image prune` ended: dockerd's prune event has no actor, only the bytes reclaimed.
     * Sinks that only collect image events (tests) need not hear it.
     */
    default void pruned(long reclaimedBytes) {
    }

    ImageEvents NONE = (action, image, name) -> {
    };
}
