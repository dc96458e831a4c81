package dev.berth.graph.commit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.EngineException;
import dev.berth.graph.image.ImageConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Dockerfile instructions that {@code docker commit -c} and {@code docker import -c} apply to
 * an image's runtime config (Docker's Config: Cmd, Env, WorkingDir …). Each change is one
 * instruction line; anything else is refused with dockerd's message.
 */
public final class ConfigChanges {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConfigChanges() {
    }

    /** Applies every change, in order, to config (modified in place). */
    public static void apply(ObjectNode config, List<String> changes) {
        for (String change : changes) {
            applyOne(config, change.strip());
        }
    }

    private static void applyOne(ObjectNode config, String line) {
        if (line.isEmpty()) {
            return;
        }
        int space = indexOfSpace(line);
        String instruction = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? "" : line.substring(space + 1).strip();
        switch (instruction) {
            case "CMD" -> config.set("Cmd", command(rest));
            case "ENTRYPOINT" -> config.set("Entrypoint", command(rest));
            case "ENV" -> env(config, instruction, rest);
            case "LABEL" -> labels(config, rest);
            case "WORKDIR" -> config.put("WorkingDir", workdir(config.path("WorkingDir").asText(""), rest));
            case "USER" -> config.put("User", required(instruction, rest));
            case "STOPSIGNAL" -> config.put("StopSignal", required(instruction, rest));
            case "EXPOSE" -> {
                ObjectNode ports = object(config, "ExposedPorts");
                for (String port : words(required(instruction, rest))) {
                    ports.set(port.contains("/") ? port.toLowerCase(Locale.ROOT) : port + "/tcp", NODES.objectNode());
                }
            }
            case "VOLUME" -> {
                ObjectNode volumes = object(config, "Volumes");
                List<String> paths = rest.startsWith("[") ? jsonStrings(rest) : words(required(instruction, rest));
                for (String path : paths) {
                    volumes.set(path, NODES.objectNode());
                }
            }
            case "ONBUILD" -> {
                JsonNode existing = config.path("OnBuild");
                ArrayNode onBuild = existing.isArray() ? (ArrayNode) existing : config.putArray("OnBuild");
                onBuild.add(required(instruction, rest));
            }
            default -> throw EngineException.invalid(instruction.toLowerCase(Locale.ROOT) + " is not a valid change command");
        }
    }

    private static int indexOfSpace(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (Character.isWhitespace(line.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String required(String instruction, String rest) {
        if (rest.isEmpty()) {
            throw EngineException.invalid(instruction + " requires at least one argument");
        }
        return rest;
    }

    /** The exec form (a JSON array of strings) as it is, the shell form run by /bin/sh -c. */
    static ArrayNode command(String rest) {
        ArrayNode command = NODES.arrayNode();
        if (rest.startsWith("[")) {
            List<String> parsed = tryJsonStrings(rest);
            if (parsed != null) {
                parsed.forEach(command::add);
                return command;
            }
        }
        command.add("/bin/sh").add("-c").add(rest);
        return command;
    }

    private static List<String> jsonStrings(String text) {
        List<String> parsed = tryJsonStrings(text);
        if (parsed == null) {
            throw EngineException.invalid("not a JSON array of strings: " + text);
        }
        return parsed;
    }

    private static List<String> tryJsonStrings(String text) {
        try {
            JsonNode node = ImageConfig.JSON.readTree(text);
            if (node == null || !node.isArray()) {
                return null;
            }
            List<String> strings = new ArrayList<>();
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    return null;
                }
                strings.add(item.asText());
            }
            return strings;
        } catch (IOException e) {
            return null;
        }
    }

    /** ENV k=v k2="v 2", or the old form ENV k some value. */
    private static void env(ObjectNode config, String instruction, String rest) {
        List<String> words = words(required(instruction, rest));
        List<String[]> pairs = new ArrayList<>();
        if (!words.get(0).contains("=")) {
            int space = indexOfSpace(rest);
            if (space < 0) {
                throw EngineException.invalid("ENV names can not be blank and need a value: " + rest);
            }
            pairs.add(new String[] {rest.substring(0, space), rest.substring(space + 1).strip()});
        } else {
            for (String word : words) {
                int equals = word.indexOf('=');
                if (equals <= 0) {
                    throw EngineException.invalid("ENV names can not be blank: " + word);
                }
                pairs.add(new String[] {word.substring(0, equals), word.substring(equals + 1)});
            }
        }
        JsonNode existing = config.path("Env");
        ArrayNode env = NODES.arrayNode();
        List<String> names = pairs.stream().map(pair -> pair[0]).toList();
        if (existing.isArray()) {
            for (JsonNode item : existing) {
                String text = item.asText();
                String name = text.contains("=") ? text.substring(0, text.indexOf('=')) : text;
                if (!names.contains(name)) {
                    env.add(text);
                }
            }
        }
        pairs.forEach(pair -> env.add(pair[0] + "=" + pair[1]));
        config.set("Env", env);
    }

    private static void labels(ObjectNode config, String rest) {
        ObjectNode labels = object(config, "Labels");
        for (String word : words(required("LABEL", rest))) {
            int equals = word.indexOf('=');
            if (equals <= 0) {
                throw EngineException.invalid("LABEL must be of the form key=value: " + word);
            }
            labels.put(word.substring(0, equals), word.substring(equals + 1));
        }
    }

    static String workdir(String current, String rest) {
        String path = required("WORKDIR", rest);
        if (path.startsWith("/")) {
            return path;
        }
        String base = current.isEmpty() ? "/" : current;
        return base.endsWith("/") ? base + path : base + "/" + path;
    }

    private static ObjectNode object(ObjectNode config, String field) {
        JsonNode existing = config.path(field);
        return existing.isObject() ? (ObjectNode) existing : config.putObject(field);
    }

    /** Splits on blanks outside quotes; quotes are removed and a backslash escapes the next character. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && quote != '\'') {
                word.append(text.charAt(++i));
                inWord = true;
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw EngineException.invalid("unmatched quote in: " + text);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
