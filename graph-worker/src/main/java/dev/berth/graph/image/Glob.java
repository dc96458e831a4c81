package dev.berth.graph.image;

import dev.berth.bus.EngineException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Go's path.Match: '*' and '?' never cross '/', '[…]' classes (negated with '^'), '\' escapes. */
final class Glob {
    private Glob() {
    }

    static boolean matches(String pattern, String text) {
        return compile(pattern).matcher(text).matches();
    }

    static Pattern compile(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*':
                    regex.append("[^/]*");
                    break;
                case '?':
                    regex.append("[^/]");
                    break;
                case '\\':
                    if (++i >= pattern.length()) {
                        throw badPattern(pattern);
                    }
                    regex.append(Pattern.quote(String.valueOf(pattern.charAt(i))));
                    break;
                case '[':
                    int end = pattern.indexOf(']', i + 2);
                    if (end < 0) {
                        throw badPattern(pattern);
                    }
                    String body = pattern.substring(i + 1, end);
                    boolean negated = body.startsWith("^");
                    if (negated) {
                        body = body.substring(1);
                    }
                    regex.append('[').append(negated ? "^/" : "").append(body.replace("\\", "\\\\").replace("[", "\\[")
                            .replace("&&", "\\&\\&")).append(']');
                    i = end;
                    break;
                default:
                    regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        try {
            return Pattern.compile(regex.toString());
        } catch (PatternSyntaxException e) {
            throw badPattern(pattern);
        }
    }

    private static EngineException badPattern(String pattern) {
        return EngineException.invalid("syntax error in pattern: " + pattern);
    }
}
