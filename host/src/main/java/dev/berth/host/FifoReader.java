package dev.berth.host;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The read end of a named FIFO, opened without waiting for a writer and read with a time limit,
 * so that a writer that never comes (a process that died before opening its end) can never hang
 * a thread. The JDK can do neither: opening a FIFO blocks until a writer opens it, and reads
 * cannot time out.
 *
 * <p>Holding the read end also keeps whatever a writer wrote before it went away: the data stays
 * in the FIFO until read, which a pipe owned by the JDK's process reaper does not guarantee.
 */
public final class FifoReader implements AutoCloseable {
    /** What {@link #read} returns when the time ran out with no data and no end of file. */
    public static final int TIMED_OUT = -1;

    private static final int O_RDONLY = 0;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final short POLLIN = 0x1;
    private static final short POLLERR = 0x8;
    private static final short POLLHUP = 0x10;

    private final Path path;
    private int fd;

    private FifoReader(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Opens the FIFO for reading at once, whether or not a writer has it open yet. */
    public static FifoReader open(Path fifo) throws IOException {
        int fd = (int) NativeAccess.check(NativeAccess.libc().open(fifo.toString(), O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0),
                "open", fifo);
        return new FifoReader(fifo, fd);
    }

    /**
     * Reads what is there, waiting at most {@code timeoutMillis} for something to arrive. Returns
     * the number of bytes read; 0 at end of file, which a FIFO reaches only once a writer has had
     * it open and every writer has closed it; {@link #TIMED_OUT} when nothing came in time (also
     * while no writer has opened it yet).
     */
    public synchronized int read(byte[] buffer, long timeoutMillis) throws IOException {
        if (fd < 0) {
            throw new IOException("FIFO " + path + " is closed");
        }
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (true) {
            long n = NativeAccess.libc().read(fd, buffer, buffer.length);
            if (n > 0) {
                return (int) n;
            }
            if (n < 0) {
                int errno = NativeAccess.errno();
                if (errno == NativeCallException.EINTR) {
                    continue;
                }
                if (errno != NativeCallException.EAGAIN) {
                    throw new NativeCallException("read", path.toString(), errno, NativeAccess.libc().strerror(errno));
                }
            }
            // n == 0 means no writer has it open now: either none has come yet, and poll waits for
            // one to write, or one came and left, and poll says so at once with POLLHUP.
            long remaining = (deadline - System.nanoTime()) / 1_000_000;
            if (remaining <= 0) {
                return TIMED_OUT;
            }
            short events = poll((int) Math.min(Integer.MAX_VALUE, remaining));
            if (events == 0) {
                return TIMED_OUT;
            }
            if ((events & POLLIN) == 0 && (events & (POLLHUP | POLLERR)) != 0) {
                return 0;
            }
        }
    }

    private short poll(int timeoutMillis) throws IOException {
        byte[] pollfd = new byte[8];
        pollfd[0] = (byte) fd;
        pollfd[1] = (byte) (fd >>> 8);
        pollfd[2] = (byte) (fd >>> 16);
        pollfd[3] = (byte) (fd >>> 24);
        pollfd[4] = (byte) POLLIN;
        while (true) {
            int ready = NativeAccess.libc().poll(pollfd, 1, timeoutMillis);
            if (ready >= 0) {
                return ready == 0 ? 0 : (short) ((pollfd[6] & 0xff) | (pollfd[7] & 0xff) << 8);
            }
            int errno = NativeAccess.errno();
            if (errno != NativeCallException.EINTR) {
                throw new NativeCallException("poll", path.toString(), errno, NativeAccess.libc().strerror(errno));
            }
        }
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            NativeAccess.libc().close(fd);
            fd = -1;
        }
    }
}
