package dev.berth.host;

import java.io.IOException;
import java.nio.file.Path;

/** Writes to named FIFOs without ever waiting for a reader, which the JDK's open would do for ever. */
public final class FifoWriter {
    private static final int O_WRONLY = 1;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final int ENXIO = 6;

    private FifoWriter() {
    }

    /**
     * Writes one message to a FIFO whose reader is already there, without waiting for one: false
     * when nobody has it open for reading (the process that read it is gone), where the JDK's
     * open would block for ever. A message up to the pipe's atomic size (4 KiB) is written whole.
     */
    public static boolean writeIfRead(Path fifo, byte[] message) throws IOException {
        int fd = NativeAccess.libc().open(fifo.toString(), O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0);
        if (fd < 0) {
            int errno = NativeAccess.errno();
            if (errno == ENXIO) {
                return false;
            }
            throw new NativeCallException("open", fifo.toString(), errno, NativeAccess.libc().strerror(errno));
        }
        try {
            NativeAccess.check(NativeAccess.libc().write(fd, message, message.length), "write", fifo);
            return true;
        } finally {
            NativeAccess.libc().close(fd);
        }
    }

}
