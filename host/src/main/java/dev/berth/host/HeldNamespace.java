package dev.berth.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A network namespace kept alive by two descriptors of the daemon rather than by a pin: one of
 * the namespace itself and a socket made inside it, through which its interfaces are configured
 * from any thread (an ioctl acts in the namespace of the socket it is made on). Closing both,
 * or the daemon's end, lets the kernel tear the namespace down with everything in it.
 */
public final class HeldNamespace implements AutoCloseable {
    private final Mounts mounts;
    private final int namespaceFd;
    private final int socketFd;
    private boolean closed;

    HeldNamespace(Mounts mounts, int namespaceFd, int socketFd) {
        this.mounts = mounts;
        this.namespaceFd = namespaceFd;
        this.socketFd = socketFd;
    }

    /** The descriptor of the namespace (for IFLA_NET_NS_FD). */
    int namespaceFd() {
        return namespaceFd;
    }

    /** An AF_INET datagram socket made inside the namespace. */
    int socketFd() {
        return socketFd;
    }

    /** Pins the namespace at path (a file created here), as {@link NetworkNamespaces#create} would have. */
    public void pin(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        Files.createFile(path);
        try {
            mounts.mount("/proc/self/fd/" + namespaceFd, path, "none", Mounts.MS_BIND, null);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(path);
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            NativeAccess.libc().close(socketFd);
            NativeAccess.libc().close(namespaceFd);
        }
    }
}
