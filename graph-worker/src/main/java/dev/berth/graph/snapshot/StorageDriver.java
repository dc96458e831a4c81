package dev.berth.graph.snapshot;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How layers and containers' root file systems are kept, named as dockerd names its drivers:
 * {@code overlay2} stacks shared read-only layers under a per-container upper directory;
 * {@code vfs} keeps every layer and every container as a whole copy of the tree, for hosts
 * without overlayfs.
 */
public enum StorageDriver {
    OVERLAY2("overlay2"),
    VFS("vfs");

    private final String dockerName;

    StorageDriver(String dockerName) {
        this.dockerName = dockerName;
    }

    /** The name docker info and inspect show, and --storage-driver takes. */
    public String dockerName() {
        return dockerName;
    }

    /** The driver of that name; IllegalArgumentException naming the known ones otherwise. */
    public static StorageDriver named(String name) {
        for (StorageDriver driver : values()) {
            if (driver.dockerName.equals(name)) {
                return driver;
            }
        }
        throw new IllegalArgumentException("unknown storage driver \"" + name + "\": use "
                + Arrays.stream(values()).map(StorageDriver::dockerName).collect(Collectors.joining(" or ")));
    }
}
