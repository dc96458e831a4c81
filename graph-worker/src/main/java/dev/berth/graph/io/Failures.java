package dev.berth.graph.io;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Passing on a failure that another thread caught, as what it was. */
public final class Failures {
    private Failures() {
    }

    /** Throws thrown as itself when it may be thrown from an IO method; does nothing for null. */
    public static void rethrow(Throwable thrown) throws IOException {
        if (thrown == null) {
            return;
        }
        if (thrown instanceof IOException io) {
            throw io;
        }
        if (thrown instanceof UncheckedIOException unchecked) {
            throw unchecked.getCause();
        }
        if (thrown instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
        throw new IOException(thrown);
    }
}
