package dev.berth.api.router;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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

    /**
     * The filters parameter, normalised to {key: [values]}, read by {@link FiltersParam}: both the
     * CLI's {"label":{"a=b":true}} and docker-java's {"label":["a=b"]}, and a 400 for any other
     * shape, so that a filter the client meant is never silently dropped (a client that removes
     * what a label filter lists would otherwise remove everything).
     */
    public static JsonObject filters(String value) {
        JsonObject normalised = new JsonObject();
        FiltersParam.parse(value).forEach((key, values) -> normalised.put(key, new JsonArray(values)));
        return normalised;
    }
}
