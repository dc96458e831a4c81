package dev.berth.api.router;

import java.util.Locale;
import java.util.Set;

/** Docker's rules for reading query values. */
public final class QueryValues {
    private static final Set<String> FALSE = Set.of("", "0", "no", "false", "none");

    private QueryValues() {
    }

    /** Docker's boolean: "", 0, no, false and none are false; anything else is true. */
    public static boolean bool(String value, boolean absent) {
        if (value == null) {
            return absent;
        }
        return !FALSE.contains(value.toLowerCase(Locale.ROOT));
    }

}
