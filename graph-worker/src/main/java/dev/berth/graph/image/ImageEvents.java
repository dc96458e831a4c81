package dev.berth.graph.image;

import dev.berth.graph.content.Digest;

/** Where the graph worker reports image events (load, tag, untag, delete) in `docker events` terms. */
@FunctionalInterface
public interface ImageEvents {
    void publish(String action, Digest image, String name);

    ImageEvents NONE = (action, image, name) -> {
    };
}
