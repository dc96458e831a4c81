package dev.berth.api.image;

import dev.berth.api.router.QueryValues;
import dev.berth.bus.EngineException;
import dev.berth.bus.contract.image.BuildImage;
import dev.berth.bus.contract.image.RegistryAuth;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The query of POST /build as a {@link BuildImage}. The CLI sends most options on every build,
 * at their defaults; one the builder does not act on is refused (400 naming it) unless it holds
 * its default, so that nothing asked for is silently ignored.
 */
final class BuildQuery {
    /**
     * Options the builder acts on. forcerm holds trivially: every step's container is removed,
     * failed or not. buildid is the gateway's: the name POST /build/cancel takes.
     */
    private static final Set<String> HONOURED = Set.of("t", "q", "dockerfile", "buildargs", "labels", "nocache", "target",
            "forcerm", "rm", "version", "buildid");
    /** Values that mean "not asked for", as the CLI sends them. */
    private static final Set<String> DEFAULTS = Set.of("", "0", "false", "null", "[]", "{}", "default");

    private BuildQuery() {
    }

    static BuildImage parse(Function<String, String> query, List<String> tags, Set<String> names,
            Map<String, RegistryAuth> registryAuths) {
        Set<String> refused = new TreeSet<>();
        for (String name : names) {
            String value = query.apply(name);
            if (!HONOURED.contains(name) && value != null && !DEFAULTS.contains(value)) {
                refused.add(name);
            }
        }
        if (query.apply("rm") != null && !QueryValues.bool(query.apply("rm"), true)) {
            refused.add("rm");
        }
        String version = query.apply("version");
        if (version != null && !version.isEmpty() && !version.equals("1")) {
            refused.add("version");
        }
        if (!refused.isEmpty()) {
            throw EngineException.invalid("berth does not support the build option(s) " + String.join(", ", refused));
        }
        return new BuildImage(query.apply("dockerfile"), tags, strings(query.apply("buildargs"), "buildargs"),
                strings(query.apply("labels"), "labels"), QueryValues.bool(query.apply("q"), false),
                QueryValues.bool(query.apply("nocache"), false), query.apply("target"), registryAuths);
    }

    /** A JSON object of strings; a null value (a build arg the CLI found unset) is left out, as dockerd does. */
    private static Map<String, String> strings(String json, String name) {
        Map<String, String> values = new LinkedHashMap<>();
        if (json == null || json.isEmpty() || json.equals("null")) {
            return values;
        }
        try {
            new JsonObject(json).forEach(entry -> {
                if (entry.getValue() != null) {
                    values.put(entry.getKey(), entry.getValue().toString());
                }
            });
        } catch (DecodeException | ClassCastException e) {
            throw EngineException.invalid("invalid " + name + ": " + e.getMessage());
        }
        return values;
    }
}
