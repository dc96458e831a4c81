package dev.berth.exec.oci;

import dev.berth.bus.EngineException;
import java.util.Locale;
import java.util.Map;

/** Linux signal names and numbers, as `docker kill -s` and StopSignal accept them. */
public final class Signals {
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
            Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7),
            Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11),
            Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15),
            Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19),
            Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23),
            Map.entry("XCPU", 24), Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27),
            Map.entry("WINCH", 28), Map.entry("IO", 29), Map.entry("POLL", 29), Map.entry("PWR", 30),
            Map.entry("SYS", 31));
    private static final int SIGRTMIN = 34;
    private static final int SIGRTMAX = 64;

    private Signals() {
    }

    /** "TERM", "SIGTERM", "sigterm", "15", "RTMIN+3" → the number; anything else is invalid. */
    public static int parse(String value) {
        if (value == null || value.isBlank()) {
            throw EngineException.invalid("Invalid signal: " + value);
        }
        String name = value.trim().toUpperCase(Locale.ROOT);
        if (name.chars().allMatch(Character::isDigit)) {
            // A number too long for a long is no signal either, not a NumberFormatException.
            long number = name.length() > 18 ? -1 : Long.parseLong(name);
            if (number < 1 || number > SIGRTMAX) {
                throw EngineException.invalid("Invalid signal: " + value);
            }
            return (int) number;
        }
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        Integer number = NUMBERS.get(name);
        if (number != null) {
            return number;
        }
        if (name.startsWith("RTMIN") || name.startsWith("RTMAX")) {
            int base = name.startsWith("RTMIN") ? SIGRTMIN : SIGRTMAX;
            String offset = name.substring(5);
            try {
                int n = offset.isEmpty() ? base : base + Integer.parseInt(offset);
                if (n >= SIGRTMIN && n <= SIGRTMAX) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        throw EngineException.invalid("Invalid signal: " + value);
    }
}
