package dev.berth.graph.build;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Dockerfile instruction after line continuations are joined.
 *
 * @param keyword upper case (RUN, COPY …)
 * @param flags the leading {@code --name=value} options (COPY --from, --chown; FROM --platform)
 * @param rest the text after the keyword and flags, as written
 * @param json the exec form's strings when rest is a JSON array of strings, else null
 * @param line the line the instruction starts on, from 1
 */
public record Instruction(String keyword, Map<String, String> flags, String rest, List<String> json, int line) {
    public Instruction {
        // In the order written: display() must print them as the Dockerfile has them (Map.copyOf does not keep it).
        flags = Collections.unmodifiableMap(new LinkedHashMap<>(flags));
        json = json == null ? null : List.copyOf(json);
    }

    public boolean isExecForm() {
        return json != null;
    }

    /** The instruction as the builder prints it in "Step n/m : …". */
    public String display() {
        StringBuilder text = new StringBuilder(keyword);
        flags.forEach((name, value) -> text.append(" --").append(name).append('=').append(value));
        return rest.isEmpty() ? text.toString() : text.append(' ').append(rest).toString();
    }
}
