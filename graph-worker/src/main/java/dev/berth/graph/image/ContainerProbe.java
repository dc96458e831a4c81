package dev.berth.graph.image;

/** Asks whoever runs containers (the exec worker) whether one is running. Blocking. */
@FunctionalInterface
public interface ContainerProbe {
    /** False when the container is stopped, unknown, or nobody can tell. */
    boolean isRunning(String containerId);

    ContainerProbe NONE_RUNNING = id -> false;
}
