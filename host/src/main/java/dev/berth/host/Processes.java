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

    /**
     * Whether the process exists and has not exited: a zombie, which signal 0 still finds, is
     * not running. Its parent reaps it, but not in the same instant.
     */
    default boolean isRunning(int pid) {
        if (pid <= 0) {
            return false;
        }
        try {
            String[] fields = statAfterName(pid);
            return fields.length > 0 && !fields[0].equals("Z");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The fields of /proc/PID/stat after the command name (which may hold spaces and
     * parentheses): the first is the state, field 3 of the file.
     */
    private static String[] statAfterName(int pid) throws IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
        int afterName = stat.lastIndexOf(')');
        if (afterName < 0 || afterName + 2 >= stat.length()) {
            return new String[0];
        }
        return stat.substring(afterName + 2).split(" ");
    }

    /**
     * When the process started, in clock ticks after boot (field 22 of /proc/PID/stat): with the
     * pid, it names one process, since a pid is reused only after its process has gone.
     */
    default long startTicks(int pid) throws IOException {
        String[] fields = statAfterName(pid);
        if (fields.length <= 22 - 3) {
            throw new IOException("/proc/" + pid + "/stat has no start time");
        }
        return Long.parseLong(fields[22 - 3]);
    }

    /** This process's {soft, hard} limit; -1 means unlimited. */
    long[] rlimit(int resource) throws IOException;

    static Processes linux() {
        return new LinuxProcesses();
    }
}
