package dev.berth.exec.container;

import java.util.Locale;

/** Docker's container statuses. */
public enum Status {
    CREATED,
    RUNNING,
    PAUSED,
    RESTARTING,
    REMOVING,
    EXITED,
    DEAD;

    public String dockerName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Status of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
