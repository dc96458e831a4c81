package dev.berth.graph.image;

import dev.berth.graph.content.Digest;
import java.io.IOException;
import java.util.List;

/**
 * Who holds an image: each container's snapshot is a lease on the image it was prepared from,
 * kept in the graph worker's own store, so that image removal never has to ask another worker
 * (and never guesses when that worker does not answer). A mounted snapshot is a running
 * container: the exec worker mounts the root file system to start it and unmounts it when it
 * exits.
 */
public interface ImageLeases {
    /** One container's hold on an image. */
    record Lease(String containerId, boolean running) {
    }

    /** The leases on an image, oldest first, each knowing whether its container runs. */
    List<Lease> holders(Digest image) throws IOException;

    /** How many containers hold an image; cheaper than {@link #holders}, which looks at mounts. */
    int count(Digest image) throws IOException;
}
