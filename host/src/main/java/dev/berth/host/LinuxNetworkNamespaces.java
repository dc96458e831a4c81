package dev.berth.host;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * unshare(CLONE_NEWNET) changes only the calling thread's namespace, so each namespace is made on
 * a short-lived thread of its own: when the thread ends, nothing of the daemon stays inside.
 */
final class LinuxNetworkNamespaces implements NetworkNamespaces {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int O_RDONLY_CLOEXEC = 02000000;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final int IFF_UP = 0x1;
    private static final int IFREQ_SIZE = 40;
    private static final int IFREQ_FLAGS_OFFSET = 16;

    private final Mounts mounts;

    LinuxNetworkNamespaces(Mounts mounts) {
        this.mounts = mounts;
    }

    @Override
    public void create(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        Files.createFile(path);
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread maker = new Thread(() -> {
            try {
                NativeAccess.check(NativeAccess.libc().unshare(CLONE_NEWNET), "unshare", "CLONE_NEWNET");
                mounts.mount("/proc/thread-self/ns/net", path, "none", Mounts.MS_BIND, null);
                bringLoopbackUp();
            } catch (IOException e) {
                failure.set(e);
            }
        }, "berth-netns");
        maker.start();
        try {
            maker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while creating a network namespace");
        }
        if (failure.get() != null) {
            delete(path);
            throw failure.get();
        }
    }

    @Override
    public HeldNamespace createHeld() throws IOException {
        AtomicReference<IOException> failure = new AtomicReference<>();
        int[] fds = {-1, -1};
        Thread maker = new Thread(() -> {
            LibC libc = NativeAccess.libc();
            try {
                NativeAccess.check(libc.unshare(CLONE_NEWNET), "unshare", "CLONE_NEWNET");
                fds[0] = (int) NativeAccess.check(libc.open("/proc/thread-self/ns/net", O_RDONLY_CLOEXEC, 0), "open", "ns/net");
                fds[1] = (int) NativeAccess.check(libc.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket", "AF_INET");
                bringLoopbackUp(fds[1]);
            } catch (IOException e) {
                failure.set(e);
            }
        }, "berth-netns-held");
        maker.start();
        // Waited for even when interrupted: the descriptors the thread opens must not be lost.
        boolean interrupted = false;
        while (maker.isAlive()) {
            try {
                maker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            for (int fd : fds) {
                if (fd >= 0) {
                    NativeAccess.libc().close(fd);
                }
            }
            throw failure.get();
        }
        return new HeldNamespace(mounts, fds[0], fds[1]);
    }

    /** SIOCSIFFLAGS on a socket made inside the namespace acts on that namespace's "lo". */
    private static void bringLoopbackUp() throws IOException {
        LibC libc = NativeAccess.libc();
        int fd = (int) NativeAccess.check(libc.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket", "AF_INET");
        try {
            bringLoopbackUp(fd);
        } finally {
            libc.close(fd);
        }
    }

    private static void bringLoopbackUp(int fd) throws IOException {
        LibC libc = NativeAccess.libc();
        byte[] ifreq = new byte[IFREQ_SIZE];
        byte[] name = "lo".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, ifreq, 0, name.length);
        NativeAccess.check(libc.ioctl(fd, SIOCGIFFLAGS, ifreq), "ioctl SIOCGIFFLAGS", "lo");
        int flags = (ifreq[IFREQ_FLAGS_OFFSET] & 0xff) | (ifreq[IFREQ_FLAGS_OFFSET + 1] & 0xff) << 8;
        flags |= IFF_UP;
        ifreq[IFREQ_FLAGS_OFFSET] = (byte) flags;
        ifreq[IFREQ_FLAGS_OFFSET + 1] = (byte) (flags >> 8);
        NativeAccess.check(libc.ioctl(fd, SIOCSIFFLAGS, ifreq), "ioctl SIOCSIFFLAGS", "lo");
    }

    @Override
    public void delete(Path path) throws IOException {
        mounts.unmount(path, Mounts.MNT_DETACH);
        Files.deleteIfExists(path);
    }
}
