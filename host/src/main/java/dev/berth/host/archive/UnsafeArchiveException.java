package dev.berth.host.archive;

import java.io.IOException;

/** An archive refused as hostile or broken: its message says why, in words fit for the client. */
public final class UnsafeArchiveException extends IOException {
    public UnsafeArchiveException(String message) {
        super(message);
    }
}
