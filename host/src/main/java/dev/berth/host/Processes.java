package dev.berth.host;

import java.io.IOException;

/** Signals and resource limits of processes. */
public interface Processes {
    int SIGKILL = 9;
    int SIGTERM = 15;
    int RLIMIT_NPROC = 6;
    int RLIMIT_NOFILE = 7;

    /** Sends a signal; returns false when the process does not exist. */
    boolean kill(int pid, int signal) throws IOException;

    /** Whether a process with that pid exists (signal 0). */
    default boolean isAlive(int pid) {
        try {
            return pid > 0 && kill(pid, 0);
        } catch (IOException e) {
            // EPERM means it exists but belongs to someone else.
            return true;
        }
    }

    /** This process's {soft, hard} limit; -1 means unlimited. */
    long[] rlimit(int resource) throws IOException;

    static Processes linux() {
        return new LinuxProcesses();
    }
}
