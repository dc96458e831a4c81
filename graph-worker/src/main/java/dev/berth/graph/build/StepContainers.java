package dev.berth.graph.build;

import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The containers a build's RUN steps need, which the exec worker owns: the graph worker reaches
 * them over the bus (see GraphWorkerVerticle.BusStepContainers), a unit test through a fake.
 */
public interface StepContainers {
    /** The container that ran, left in place for the commit, and its exit status. */
    record Ran(String id, int status) {
    }

    /**
     * Creates a container of image running command with env added, starts it and waits for its
     * exit. created gets its id before it starts; output its stdout and stderr, on the calling
     * thread. When cancelled turns true meanwhile, the container is killed and removed and
     * {@link ImageBuilder.Cancelled} thrown.
     */
    Ran run(String image, List<String> command, List<String> env, Consumer<String> created, Consumer<String> output,
            BooleanSupplier cancelled) throws IOException;

    /** Removes the container and its snapshot. */
    void remove(String id) throws IOException;
}
