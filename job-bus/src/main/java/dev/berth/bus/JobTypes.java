package dev.berth.bus;

/**
 * Which worker takes a job, by the noun its name begins with. The job types themselves, with
 * their argument and reply records, are in {@code dev.berth.bus.contract.<noun>}.
 */
public final class JobTypes {
    private JobTypes() {
    }

    public static WorkerKind workerFor(String type) {
        if (type.startsWith("container.") || type.startsWith("exec.") || type.startsWith("volume.")) {
            return WorkerKind.EXEC;
        }
        if (type.startsWith("image.") || type.startsWith("snapshot.") || type.startsWith("registry.")) {
            return WorkerKind.GRAPH;
        }
        if (type.startsWith("network.")) {
            return WorkerKind.NETWORK;
        }
        if (type.startsWith("logs.")) {
            return WorkerKind.LOGS;
        }
        throw new IllegalArgumentException("no worker takes jobs of type " + type);
    }
}
