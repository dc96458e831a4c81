package dev.berth.graph.build;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.EngineException;
import dev.berth.graph.image.ImageConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings only a Dockerfile makes (docker commit -c does not take them): HEALTHCHECK, whose
 * options and command become the config's Healthcheck, and SHELL, the command that runs the
 * shell form of RUN, CMD and ENTRYPOINT.
 */
final class BuilderSettings {
    private static final Set<String> HEALTH_FLAGS = Set.of("interval", "timeout", "start-period", "start-interval", "retries");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Map<String, Double> NANOS_PER_UNIT = Map.of("ns", 1d, "us", 1e3, "µs", 1e3, "ms", 1e6, "s", 1e9,
            "m", 60e9, "h", 3600e9);

    private BuilderSettings() {
    }

    /** The Healthcheck a HEALTHCHECK instruction sets: {"Test":["NONE"]}, or its command with the options given. */
    static ObjectNode healthcheck(Instruction step) {
        ObjectNode check = ImageConfig.JSON.createObjectNode();
        String rest = step.rest().strip();
        String first = rest.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        if (first.equals("NONE")) {
            if (!step.flags().isEmpty() || !rest.equalsIgnoreCase("NONE")) {
                throw EngineException.invalid("HEALTHCHECK NONE takes no arguments");
            }
            check.putArray("Test").add("NONE");
            return check;
        }
        if (!first.equals("CMD")) {
            throw EngineException.invalid("Unknown type \"" + first + "\" in HEALTHCHECK (try CMD)");
        }
        String command = rest.substring(3).strip();
        if (command.isEmpty()) {
            throw EngineException.invalid("Missing command after HEALTHCHECK CMD");
        }
        ArrayNode test = check.putArray("Test");
        List<String> exec = DockerfileParser.execForm(command);
        if (exec != null) {
            test.add("CMD");
            exec.forEach(test::add);
        } else {
            test.add("CMD-SHELL").add(command);
        }
        for (Map.Entry<String, String> flag : step.flags().entrySet()) {
            if (!HEALTH_FLAGS.contains(flag.getKey())) {
                throw EngineException.invalid("Unknown flag: " + flag.getKey());
            }
        }
        duration(step, "interval", "Interval", check);
        duration(step, "timeout", "Timeout", check);
        duration(step, "start-period", "StartPeriod", check);
        duration(step, "start-interval", "StartInterval", check);
        String retries = step.flags().get("retries");
        if (retries != null && !retries.isEmpty()) {
            int value;
            try {
                value = Integer.parseInt(retries);
            } catch (NumberFormatException e) {
                throw EngineException.invalid("invalid --retries value \"" + retries + "\"");
            }
            if (value < 0) {
                throw EngineException.invalid("--retries cannot be negative (" + value + ")");
            }
            check.put("Retries", value);
        }
        return check;
    }

    /** A flag's Go duration in nanoseconds, when given; 0 is the default and left out, as dockerd does. */
    private static void duration(Instruction step, String flag, String field, ObjectNode check) {
        String text = step.flags().get(flag);
        if (text == null || text.isEmpty()) {
            return;
        }
        long nanos = goDuration(text, flag);
        if (nanos != 0 && nanos < 1_000_000) {
            throw EngineException.invalid(field + " \"" + text + "\" cannot be less than 1ms");
        }
        if (nanos != 0) {
            check.put(field, nanos);
        }
    }

    /** Go's time.ParseDuration for the positive values a Dockerfile takes: 30s, 1m30s, 1.5h, 500ms, 0. */
    static long goDuration(String text, String flag) {
        if (text.equals("0")) {
            return 0;
        }
        Matcher part = DURATION_PART.matcher(text);
        double nanos = 0;
        int at = 0;
        while (at < text.length()) {
            if (!part.find(at) || part.start() != at) {
                throw EngineException.invalid("invalid --" + flag + " value \"" + text + "\": not a duration like 30s or 1m30s");
            }
            nanos += Double.parseDouble(part.group(1)) * NANOS_PER_UNIT.get(part.group(2));
            at = part.end();
        }
        return Math.round(nanos);
    }

    /** The SHELL instruction's command; only the JSON form is taken, as with dockerd. */
    static List<String> shell(Instruction step) {
        if (!step.isExecForm() || step.json().isEmpty()) {
            throw EngineException.invalid("SHELL requires the arguments to be in JSON form");
        }
        return step.json();
    }
}
