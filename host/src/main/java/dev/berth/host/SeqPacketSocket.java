package dev.berth.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A blocking AF_UNIX SOCK_SEQPACKET client, which the JDK does not offer: conmon's attach socket
 * is one. Each send is one packet. Reads block; {@link #abort()} from another thread wakes a
 * blocked reader with end-of-stream.
 */
public final class SeqPacketSocket implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int O_PATH = 010000000;
    private static final int O_CLOEXEC = 02000000;
    private static final int SHUT_WR = 1;
    private static final int SHUT_RDWR = 2;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int EAGAIN = 11;
    private static final int SUN_PATH_MAX = 107;

    private final int fd;
    private volatile boolean closed;
    private boolean released;

    private SeqPacketSocket(int fd) {
        this.fd = fd;
    }

    /**
     * Connects to the socket at path. Paths longer than sun_path allows are reached through
     * /proc/self/fd of their opened parent directory.
     */
    public static SeqPacketSocket connect(Path path) throws IOException {
        LibC libc = NativeAccess.libc();
        int fd = (int) NativeAccess.check(libc.socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0), "socket", path);
        int dirFd = -1;
        try {
            String address = path.toString();
            if (address.getBytes(StandardCharsets.UTF_8).length > SUN_PATH_MAX) {
                dirFd = (int) NativeAccess.check(libc.open(path.getParent().toString(), O_PATH | O_CLOEXEC, 0),
                        "open", path.getParent());
                address = "/proc/self/fd/" + dirFd + "/" + path.getFileName();
            }
            byte[] sockaddr = sockaddrUn(address);
            NativeAccess.check(libc.connect(fd, sockaddr, sockaddr.length), "connect", path);
            return new SeqPacketSocket(fd);
        } catch (IOException e) {
            libc.close(fd);
            throw e;
        } finally {
            if (dirFd >= 0) {
                libc.close(dirFd);
            }
        }
    }

    static byte[] sockaddrUn(String path) {
        byte[] encoded = path.getBytes(StandardCharsets.UTF_8);
        if (encoded.length > SUN_PATH_MAX) {
            throw new IllegalArgumentException("unix socket path too long: " + path);
        }
        byte[] address = new byte[2 + encoded.length + 1];
        address[0] = AF_UNIX;
        System.arraycopy(encoded, 0, address, 2, encoded.length);
        return address;
    }

    /** Sends one packet. */
    public void send(byte[] data, int length) throws IOException {
        byte[] packet = data;
        if (length != data.length) {
            packet = java.util.Arrays.copyOf(data, length);
        }
        NativeAccess.check(NativeAccess.libc().send(fd, packet, length, MSG_NOSIGNAL), "send", "attach socket");
    }

    /** Reads one packet into buffer; returns its length, or -1 at end of stream. */
    public int receive(byte[] buffer) throws IOException {
        while (true) {
            long n = NativeAccess.libc().recv(fd, buffer, buffer.length, 0);
            if (n > 0) {
                return (int) n;
            }
            if (n == 0) {
                return -1;
            }
            int errno = NativeAccess.errno();
            if (errno == NativeCallException.EINTR) {
                continue;
            }
            if (closed) {
                return -1;
            }
            throw new NativeCallException("recv", "attach socket", errno, NativeAccess.libc().strerror(errno));
        }
    }

    /**
     * Reads one packet that has already arrived, without waiting: its length, 0 when none is
     * queued, -1 at end of stream. Lets a reader batch what a fast writer has queued.
     */
    public int receiveNow(byte[] buffer) throws IOException {
        while (true) {
            long n = NativeAccess.libc().recv(fd, buffer, buffer.length, MSG_DONTWAIT);
            if (n > 0) {
                return (int) n;
            }
            if (n == 0) {
                return -1;
            }
            int errno = NativeAccess.errno();
            if (errno == EAGAIN) {
                return 0;
            }
            if (errno == NativeCallException.EINTR) {
                continue;
            }
            if (closed) {
                return -1;
            }
            throw new NativeCallException("recv", "attach socket", errno, NativeAccess.libc().strerror(errno));
        }
    }

    /** Half-closes: the peer reads end-of-stream, replies still arrive. */
    public void shutdownOutput() {
        NativeAccess.libc().shutdown(fd, SHUT_WR);
    }

    /** Wakes any blocked reader with end-of-stream; the descriptor stays open until {@link #close()}. */
    public void abort() {
        closed = true;
        NativeAccess.libc().shutdown(fd, SHUT_RDWR);
    }

    @Override
    public synchronized void close() {
        if (!released) {
            released = true;
            closed = true;
            NativeAccess.libc().close(fd);
        }
    }
}
