package dev.berth.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Null-safe reads of Docker JSON, where a field may be absent or explicitly null ("Cmd": null):
 * Vert.x's getters with a default return the default only for an absent key.
 */
public final class JsonFields {
    private JsonFields() {
    }

    public static JsonArray array(JsonObject object, String key) {
        JsonArray value = object == null ? null : object.getJsonArray(key);
        return value == null ? new JsonArray() : value;
    }

    public static JsonObject object(JsonObject object, String key) {
        JsonObject value = object == null ? null : object.getJsonObject(key);
        return value == null ? new JsonObject() : value;
    }

    public static String string(JsonObject object, String key, String fallback) {
        String value = object == null ? null : object.getString(key);
        return value == null ? fallback : value;
    }
}
