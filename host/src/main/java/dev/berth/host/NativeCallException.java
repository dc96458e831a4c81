package dev.berth.host;

import java.io.IOException;

/** A libc call failed; carries the errno so callers can tell EEXIST from EPERM. */
public final class NativeCallException extends IOException {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENODATA = 61;
    public static final int ECONNREFUSED = 111;

    private final int errno;

    public NativeCallException(String call, String subject, int errno, String description) {
        super(call + " " + subject + ": " + description + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
