package dev.berth.log.follow;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.container.ContainerView;
import dev.berth.bus.contract.container.HostConfig;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The extra attributes of a container's log, as dockerd's log drivers take them from the log
 * options: {@code labels} and {@code env} name container labels and environment variables (comma
 * separated), {@code labels-regex} and {@code env-regex} match their names. Those the container
 * has become the attributes; the others are left out.
 */
final class LogAttributes {
    private LogAttributes() {
    }

    static Map<String, String> of(ContainerView view) {
        HostConfig.LogConfig logConfig = view.hostConfig() == null ? null : view.hostConfig().logConfig();
        Map<String, String> options = logConfig == null || logConfig.config() == null ? Map.of() : logConfig.config();
        Map<String, String> labels = view.config() == null || view.config().labels() == null ? Map.of() : view.config().labels();
        Map<String, String> env = new TreeMap<>();
        List<String> variables = view.config() == null || view.config().env() == null ? List.of() : view.config().env();
        for (String variable : variables) {
            int equals = variable.indexOf('=');
            if (equals > 0) {
                env.put(variable.substring(0, equals), variable.substring(equals + 1));
            }
        }
        Map<String, String> attributes = new TreeMap<>();
        named(options.get("labels"), labels, attributes);
        matching(options.get("labels-regex"), labels, attributes);
        named(options.get("env"), env, attributes);
        matching(options.get("env-regex"), env, attributes);
        return attributes;
    }

    private static void named(String list, Map<String, String> source, Map<String, String> into) {
        if (list == null || list.isEmpty()) {
            return;
        }
        for (String name : list.split(",")) {
            String value = source.get(name);
            if (value != null) {
                into.put(name, value);
            }
        }
    }

    private static void matching(String regex, Map<String, String> source, Map<String, String> into) {
        if (regex == null || regex.isEmpty()) {
            return;
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw EngineException.invalid("invalid log option regex " + regex + ": " + e.getDescription());
        }
        source.forEach((name, value) -> {
            if (pattern.matcher(name).find()) {
                into.put(name, value);
            }
        });
    }
}
