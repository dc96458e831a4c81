package dev.berth.exec.container;

import dev.berth.bus.EngineException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Docker's merge of a create request's Config with the image's config: the image supplies what
 * the request leaves out. Setting an entrypoint drops the image's command.
 */
public final class ImageDefaults {
    public static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private ImageDefaults() {
    }

    public static JsonObject merge(JsonObject requested, JsonObject image) {
        JsonObject merged = requested.copy();
        JsonObject imageConfig = image == null ? new JsonObject() : image;

        Map<String, String> env = new LinkedHashMap<>();
        addEnv(env, imageConfig.getJsonArray("Env"));
        addEnv(env, requested.getJsonArray("Env"));
        JsonArray envList = new JsonArray();
        env.forEach((key, value) -> envList.add(value == null ? key : key + "=" + value));
        merged.put("Env", envList);

        JsonArray entrypoint = requested.getJsonArray("Entrypoint");
        JsonArray cmd = requested.getJsonArray("Cmd");
        boolean entrypointReset = entrypoint != null && entrypoint.size() == 1 && "".equals(entrypoint.getValue(0));
        if (entrypointReset) {
            merged.put("Entrypoint", (Object) null);
            entrypoint = null;
        }
        boolean userSetEntrypoint = requested.getValue("Entrypoint") != null;
        if (!userSetEntrypoint) {
            merged.put("Entrypoint", imageConfig.getJsonArray("Entrypoint"));
            if (cmd == null || cmd.isEmpty()) {
                merged.put("Cmd", imageConfig.getJsonArray("Cmd"));
            }
        }
        if (empty(merged.getJsonArray("Entrypoint")) && empty(merged.getJsonArray("Cmd"))) {
            throw EngineException.invalid("No command specified");
        }

        putIfBlank(merged, imageConfig, "WorkingDir");
        putIfBlank(merged, imageConfig, "User");
        putIfBlank(merged, imageConfig, "StopSignal");
        if (merged.getValue("StopTimeout") == null && imageConfig.getValue("StopTimeout") != null) {
            merged.put("StopTimeout", imageConfig.getValue("StopTimeout"));
        }
        merged.put("Labels", mergeObjects(imageConfig.getJsonObject("Labels"), requested.getJsonObject("Labels")));
        merged.put("ExposedPorts", mergeObjects(imageConfig.getJsonObject("ExposedPorts"), requested.getJsonObject("ExposedPorts")));
        merged.put("Volumes", mergeObjects(imageConfig.getJsonObject("Volumes"), requested.getJsonObject("Volumes")));
        if (empty(merged.getJsonArray("Shell")) && imageConfig.getJsonArray("Shell") != null) {
            merged.put("Shell", imageConfig.getJsonArray("Shell"));
        }
        if (merged.getJsonObject("Healthcheck") == null && imageConfig.getJsonObject("Healthcheck") != null) {
            merged.put("Healthcheck", imageConfig.getJsonObject("Healthcheck"));
        }
        return merged;
    }

    private static boolean empty(JsonArray array) {
        return array == null || array.isEmpty();
    }

    private static void putIfBlank(JsonObject merged, JsonObject image, String key) {
        String value = merged.getString(key);
        if ((value == null || value.isEmpty()) && image.getString(key) != null) {
            merged.put(key, image.getString(key));
        }
    }

    private static JsonObject mergeObjects(JsonObject base, JsonObject overrides) {
        JsonObject result = base == null ? new JsonObject() : base.copy();
        if (overrides != null) {
            overrides.forEach(e -> result.put(e.getKey(), e.getValue()));
        }
        return result;
    }

    private static void addEnv(Map<String, String> env, JsonArray entries) {
        if (entries == null) {
            return;
        }
        for (Object entry : entries) {
            String text = String.valueOf(entry);
            int eq = text.indexOf('=');
            if (eq <= 0) {
                env.put(text, null);
            } else {
                env.put(text.substring(0, eq), text.substring(eq + 1));
            }
        }
    }

    /** The process environment: the container's Env, plus what Docker always provides. */
    public static java.util.List<String> processEnv(JsonArray env, String hostname, boolean tty, String home) {
        Map<String, String> values = new LinkedHashMap<>();
        boolean hasPath = false;
        for (Object entry : env) {
            String text = String.valueOf(entry);
            int eq = text.indexOf('=');
            if (eq > 0) {
                values.put(text.substring(0, eq), text.substring(eq + 1));
                hasPath |= text.startsWith("PATH=");
            }
        }
        java.util.List<String> result = new java.util.ArrayList<>();
        if (!hasPath) {
            result.add(DEFAULT_PATH);
        }
        result.add("HOSTNAME=" + hostname);
        if (tty && !values.containsKey("TERM")) {
            result.add("TERM=xterm");
        }
        if (!values.containsKey("HOME")) {
            result.add("HOME=" + home);
        }
        values.forEach((key, value) -> {
            if (!key.equals("HOSTNAME")) {
                result.add(key + "=" + value);
            }
        });
        return result;
    }
}
