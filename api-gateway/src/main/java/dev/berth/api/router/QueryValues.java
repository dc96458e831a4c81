package dev.berth.api.router;

import dev.berth.bus.EngineException;
import io.vertx.core.json.DecodeException;
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
     * The filters parameter, normalised to {key: [values]}. Accepts both the CLI's
     * {"label":{"a=b":true}} and docker-java's {"label":["a=b"]}.
     */
    public static JsonObject filters(String value) {
        JsonObject normalised = new JsonObject();
        if (value == null || value.isBlank()) {
            return normalised;
        }
        JsonObject raw;
        try {
            raw = new JsonObject(value);
        } catch (DecodeException | ClassCastException e) {
            throw EngineException.invalid("invalid filter '" + value + "'");
        }
        for (String key : raw.fieldNames()) {
            Object entry = raw.getValue(key);
            JsonArray values = new JsonArray();
            if (entry instanceof JsonObject) {
                JsonObject map = (JsonObject) entry;
                for (String v : map.fieldNames()) {
                    if (Boolean.TRUE.equals(map.getValue(v))) {
                        values.add(v);
                    }
                }
            } else if (entry instanceof JsonArray) {
                for (Object v : (JsonArray) entry) {
                    values.add(String.valueOf(v));
                }
            } else if (entry != null) {
                values.add(String.valueOf(entry));
            }
            normalised.put(key, values);
        }
        return normalised;
    }
}
