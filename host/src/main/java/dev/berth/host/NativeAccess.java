package dev.berth.host;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/** Loads libc once and turns failed calls into {@link NativeCallException}s. */
final class NativeAccess {
    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private NativeAccess() {
    }

    static LibC libc() {
        return LIBC;
    }

    static int errno() {
        return RUNTIME.getLastError();
    }

    /** Throws when a call returned a negative value; returns the value otherwise. */
    static long check(long result, String call, Object subject) throws NativeCallException {
        if (result < 0) {
            int errno = errno();
            throw new NativeCallException(call, String.valueOf(subject), errno, LIBC.strerror(errno));
        }
        return result;
    }
}
