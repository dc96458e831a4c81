package dev.berth.host;

import java.io.IOException;
import java.nio.file.Path;

/** Named network namespaces: a namespace kept alive by a bind mount of its nsfs file. */
public interface NetworkNamespaces {
    /**
     * Creates a new network namespace with its loopback interface up, pinned at path (a file that
     * will be created). The calling thread's own namespace is not changed.
     */
    void create(Path path) throws IOException;

    /**
     * Creates a new network namespace with its loopback interface up, held by descriptors of the
     * daemon instead of a pin: it goes when they are closed, or when the daemon ends however it
     * ends, with everything in it.
     */
    HeldNamespace createHeld() throws IOException;

    /** Unmounts and deletes the pin; absent pins are not an error. */
    void delete(Path path) throws IOException;

    static NetworkNamespaces linux() {
        return new LinuxNetworkNamespaces(Mounts.linux());
    }
}
