package dev.berth.exec.container;

import java.util.Locale;

/**
 * Docker's container statuses, and the moves between them that the lifecycle allows. A move not
 * in the table is a bug in the engine, not a user error: it throws IllegalStateException.
 */
public enum Status {
    CREATED,
    RUNNING,
    PAUSED,
    RESTARTING,
    REMOVING,
    EXITED,
    DEAD;

    /** Whether a container in this status may move to the next one. */
    public boolean canMoveTo(Status next) {
        switch (this) {
            case CREATED:
                return next == RUNNING || next == REMOVING || next == DEAD;
            case RUNNING:
                return next == EXITED || next == PAUSED || next == RESTARTING || next == DEAD;
            case PAUSED:
                return next == RUNNING || next == EXITED || next == DEAD;
            case RESTARTING:
                return next == RUNNING || next == EXITED || next == REMOVING || next == DEAD;
            case EXITED:
                return next == RUNNING || next == RESTARTING || next == REMOVING || next == DEAD;
            case DEAD:
                return next == REMOVING;
            case REMOVING:
                // An interrupted removal is retried; nothing else leaves it.
                return next == REMOVING;
            default:
                return false;
        }
    }

    public String dockerName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Status of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
