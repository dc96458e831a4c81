package dev.berth.graph.build;

import dev.berth.bus.EngineException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The stages of a multi-stage build: each FROM starts one, optionally named with AS; a finished
 * stage's last image is what a later {@code FROM name} or {@code COPY --from=name|index} takes.
 * Names are case-insensitive and follow dockerd's rule.
 */
final class BuildStages {
    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");

    /** The last image of each finished stage, in order. */
    private final List<String> finished = new ArrayList<>();
    private final Map<String, Integer> names = new HashMap<>();
    private boolean started;

    /** The instructions up to the end of the target stage; all of them when target is null. */
    static List<Instruction> untilTarget(List<Instruction> steps, String target) {
        if (target == null) {
            return steps;
        }
        boolean inTarget = false;
        for (int i = 0; i < steps.size(); i++) {
            Instruction step = steps.get(i);
            if (!step.keyword().equals("FROM")) {
                continue;
            }
            if (inTarget) {
                return steps.subList(0, i);
            }
            String[] words = step.rest().strip().split("\\s+");
            inTarget = words.length == 3 && words[2].equalsIgnoreCase(target);
        }
        if (!inTarget) {
            throw EngineException.invalid("failed to reach build target " + target + " in Dockerfile");
        }
        return steps;
    }

    /** Whether a FROM came yet: ARGs before it are the build's global ones. */
    boolean started() {
        return started;
    }

    /** A FROM: the stage before it (if any) ended with image, and a new one, named or not (null), begins. */
    void begin(String name, String previousImage) {
        if (started) {
            finished.add(previousImage);
        }
        started = true;
        if (name == null) {
            return;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (!NAME.matcher(lower).matches()) {
            throw EngineException.invalid("invalid name for build stage: \"" + name
                    + "\", name can't start with a number or contain symbols");
        }
        if (names.containsKey(lower)) {
            throw EngineException.invalid("duplicate name " + name);
        }
        names.put(lower, finished.size());
    }

    /** A FROM's base when it names a finished stage; empty when it names an image. */
    Optional<String> named(String base) {
        Integer index = names.get(base.toLowerCase(Locale.ROOT));
        return index != null && index < finished.size() ? Optional.of(finished.get(index)) : Optional.empty();
    }

    /** COPY --from's source when it names a stage or a stage's number; empty when it names an image. */
    Optional<String> copySource(String from) {
        Integer index = names.get(from.toLowerCase(Locale.ROOT));
        if (index == null && from.matches("\\d{1,9}")) {
            index = Integer.parseInt(from);
        }
        if (index == null) {
            return Optional.empty();
        }
        if (index >= finished.size()) {
            throw EngineException.invalid("invalid from flag value " + from + ": refers to the current or a later build stage");
        }
        return Optional.of(finished.get(index));
    }
}
