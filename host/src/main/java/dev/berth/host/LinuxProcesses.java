package dev.berth.host;

import java.io.IOException;

final class LinuxProcesses implements Processes {
    @Override
    public boolean kill(int pid, int signal) throws IOException {
        if (NativeAccess.libc().kill(pid, signal) == 0) {
            return true;
        }
        int errno = NativeAccess.errno();
        if (errno == NativeCallException.ESRCH) {
            return false;
        }
        throw new NativeCallException("kill", String.valueOf(pid), errno, NativeAccess.libc().strerror(errno));
    }

    @Override
    public long[] rlimit(int resource) throws IOException {
        long[] limits = new long[2];
        NativeAccess.check(NativeAccess.libc().getrlimit(resource, limits), "getrlimit", resource);
        return limits;
    }
}
