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

    /** Unmounts and deletes the pin; absent pins are not an error. */
    void delete(Path path) throws IOException;

    static NetworkNamespaces linux() {
        return new LinuxNetworkNamespaces(Mounts.linux());
    }
}
