package dev.berth.host;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An executable kept in a sealed memory file of this process rather than on disk, run through
 * /proc/PID/fd/N. A process started from it that later joins a container cannot be used by the
 * container to overwrite the program on the host (runc's CVE-2019-5736): there is no host file,
 * and the memory file can no longer be written, grown or shrunk.
 */
public final class SealedExecutable {
    private static final int MFD_CLOEXEC = 0x1;
    private static final int MFD_ALLOW_SEALING = 0x2;
    private static final int MFD_EXEC = 0x10;
    private static final int F_ADD_SEALS = 1024 + 9;
    private static final int F_SEAL_SEAL = 0x1;
    private static final int F_SEAL_SHRINK = 0x2;
    private static final int F_SEAL_GROW = 0x4;
    private static final int F_SEAL_WRITE = 0x8;

    private final Path path;

    private SealedExecutable(int fd) {
        this.path = Path.of("/proc/" + ProcessHandle.current().pid() + "/fd/" + fd);
    }

    /** Copies the program into a new sealed memory file; it lives as long as this process. */
    public static SealedExecutable of(String name, byte[] program) throws IOException {
        LibC libc = NativeAccess.libc();
        int fd = libc.memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
        if (fd < 0 && NativeAccess.errno() == NativeCallException.EINVAL) {
            // Kernels before 6.3 know no MFD_EXEC: their memory files are executable anyway.
            fd = libc.memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        }
        NativeAccess.check(fd, "memfd_create", name);
        try {
            int written = 0;
            while (written < program.length) {
                byte[] rest = written == 0 ? program : java.util.Arrays.copyOfRange(program, written, program.length);
                written += (int) NativeAccess.check(libc.write(fd, rest, rest.length), "write", name);
            }
            NativeAccess.check(libc.fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE),
                    "fcntl(F_ADD_SEALS)", name);
        } catch (IOException | RuntimeException e) {
            libc.close(fd);
            throw e;
        }
        return new SealedExecutable(fd);
    }

    /** The path to execute: this process's descriptor of the memory file. */
    public Path path() {
        return path;
    }

}
