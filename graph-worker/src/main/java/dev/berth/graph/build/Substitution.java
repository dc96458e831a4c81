package dev.berth.graph.build;

import dev.berth.bus.EngineException;
import java.util.Map;

/**
 * Expands {@code $NAME}, {@code ${NAME}}, {@code ${NAME:-default}} and {@code ${NAME:+alternative}}
 * in a Dockerfile word as the classic builder does for FROM, COPY, ENV, WORKDIR and the other
 * instructions that take variables (RUN leaves them to the shell). The escape character makes the
 * next character literal ({@code \$HOME} stays {@code $HOME}); inside single quotes nothing is
 * expanded. Quotes themselves are kept: splitting into words is the caller's.
 */
public final class Substitution {
    private Substitution() {
    }

    public static String expand(String text, Map<String, String> variables, char escape) {
        StringBuilder out = new StringBuilder();
        boolean single = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == escape && !single && i + 1 < text.length()) {
                char next = text.charAt(i + 1);
                if (next == '$') {
                    out.append('$');
                } else {
                    out.append(c).append(next);
                }
                i++;
            } else if (c == '\'') {
                single = !single;
                out.append(c);
            } else if (c == '$' && !single && i + 1 < text.length()) {
                i = variable(text, i + 1, variables, out) - 1;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Expands the variable starting at from (after the '$'); returns the index after it. */
    private static int variable(String text, int from, Map<String, String> variables, StringBuilder out) {
        if (text.charAt(from) == '{') {
            int close = text.indexOf('}', from);
            if (close < 0) {
                throw EngineException.invalid("missing '}' in: " + text);
            }
            String inner = text.substring(from + 1, close);
            int colon = inner.indexOf(':');
            String name = colon < 0 ? inner : inner.substring(0, colon);
            String value = variables.get(name);
            if (colon < 0) {
                out.append(value == null ? "" : value);
            } else if (inner.startsWith(":-", colon)) {
                out.append(value == null || value.isEmpty() ? inner.substring(colon + 2) : value);
            } else if (inner.startsWith(":+", colon)) {
                out.append(value == null || value.isEmpty() ? "" : inner.substring(colon + 2));
            } else {
                throw EngineException.invalid("unsupported modifier (" + inner.substring(colon) + ") in substitution: " + text);
            }
            return close + 1;
        }
        int end = from;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        if (end == from) {
            out.append('$');
            return from;
        }
        String value = variables.get(text.substring(from, end));
        out.append(value == null ? "" : value);
        return end;
    }
}
