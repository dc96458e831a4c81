package dev.berth.graph.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.EngineException;
import dev.berth.graph.image.ImageConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a Dockerfile into {@link Instruction}s as the classic builder reads it: parser
 * directives ({@code # escape=`}) at the top, comments and blank lines skipped, a line ending in
 * the escape character continued on the next (comment lines inside a continuation are dropped),
 * leading {@code --flag=value} options, and the exec form recognised as a JSON array of strings.
 * Variables are not expanded here: that depends on the build's ARGs and ENVs at each step
 * ({@link Substitution}).
 */
public final class DockerfileParser {
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
    private static final Pattern FLAG = Pattern.compile("^--([a-zA-Z][a-zA-Z0-9-]*)(?:=(\\S*))?(?:\\s+|$)");

    /** A parsed Dockerfile: its escape character and instructions in order. */
    public record Dockerfile(char escape, List<Instruction> instructions) {
        public Dockerfile {
            instructions = List.copyOf(instructions);
        }
    }

    private DockerfileParser() {
    }

    public static Dockerfile parse(String text) {
        String[] lines = text.split("\r?\n", -1);
        char escape = '\\';
        int index = 0;
        boolean directives = true;
        List<Instruction> instructions = new ArrayList<>();
        while (index < lines.length) {
            String line = lines[index].strip();
            if (directives) {
                Matcher directive = DIRECTIVE.matcher(line);
                if (directive.matches()) {
                    String name = directive.group(1).toLowerCase(Locale.ROOT);
                    if (name.equals("escape")) {
                        String value = directive.group(2);
                        if (!value.equals("\\") && !value.equals("`")) {
                            throw EngineException.invalid("invalid escape token '" + value + "' does not validate");
                        }
                        escape = value.charAt(0);
                    }
                    index++;
                    continue;
                }
                directives = false;
            }
            if (line.isEmpty() || line.startsWith("#")) {
                index++;
                continue;
            }
            int start = index + 1;
            StringBuilder logical = new StringBuilder();
            while (true) {
                String current = stripTrailing(lines[index]);
                boolean continued = current.endsWith(String.valueOf(escape));
                logical.append(continued ? current.substring(0, current.length() - 1) : current);
                index++;
                if (!continued) {
                    break;
                }
                while (index < lines.length && (lines[index].strip().startsWith("#") || lines[index].isBlank())) {
                    index++;
                }
                if (index >= lines.length) {
                    break;
                }
            }
            instructions.add(instruction(logical.toString().strip(), start));
        }
        return new Dockerfile(escape, instructions);
    }

    /** Trailing blanks after a continuing escape character do not stop the continuation, as with dockerd. */
    private static String stripTrailing(String line) {
        return line.stripTrailing();
    }

    private static Instruction instruction(String text, int line) {
        int space = 0;
        while (space < text.length() && !Character.isWhitespace(text.charAt(space))) {
            space++;
        }
        String keyword = text.substring(0, space).toUpperCase(Locale.ROOT);
        String rest = text.substring(space).strip();
        Map<String, String> flags = new LinkedHashMap<>();
        Matcher flag = FLAG.matcher(rest);
        while (flag.find()) {
            flags.put(flag.group(1), flag.group(2) == null ? "" : flag.group(2));
            rest = rest.substring(flag.end());
            flag = FLAG.matcher(rest);
        }
        return new Instruction(keyword, flags, rest, execForm(rest), line);
    }

    /** The strings of a JSON array of strings; null for anything else (then it is the shell form). */
    static List<String> execForm(String rest) {
        if (!rest.startsWith("[")) {
            return null;
        }
        try {
            JsonNode node = ImageConfig.JSON.readTree(rest);
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
}
