package dev.berth.exec.container;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.container.ContainerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's merge of a create request's Config with the image's config: the image supplies what
 * the request leaves out. Setting an entrypoint drops the image's command.
 */
public final class ImageDefaults {
    public static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private ImageDefaults() {
    }

    /**
     * @param hostname the container's host name, recorded in the merged Config as Docker does
     */
    public static ContainerConfig merge(ContainerConfig requested, ContainerConfig image, String hostname) {
        ContainerConfig base = image == null ? ContainerConfig.empty() : image;

        Map<String, String> env = new LinkedHashMap<>();
        addEnv(env, base.env());
        addEnv(env, requested.env());
        List<String> envList = new ArrayList<>();
        env.forEach((key, value) -> envList.add(value == null ? key : key + "=" + value));

        List<String> entrypoint = requested.entrypoint();
        List<String> cmd = requested.cmd();
        boolean entrypointReset = entrypoint != null && entrypoint.size() == 1 && entrypoint.get(0).isEmpty();
        if (entrypointReset) {
            entrypoint = null;
        } else if (entrypoint == null) {
            entrypoint = base.entrypoint();
            if (cmd == null || cmd.isEmpty()) {
                cmd = base.cmd();
            }
        }
        if (empty(entrypoint) && empty(cmd)) {
            throw EngineException.invalid("No command specified");
        }

        return new ContainerConfig(hostname, requested.domainname(), blankOr(requested.user(), base.user()),
                requested.attachStdin(), requested.attachStdout(), requested.attachStderr(),
                union(base.exposedPorts(), requested.exposedPorts()), requested.portSpecs(), requested.tty(),
                requested.openStdin(), requested.stdinOnce(), envList, cmd,
                requested.healthcheck() != null ? requested.healthcheck() : base.healthcheck(), requested.argsEscaped(),
                requested.image(), union(base.volumes(), requested.volumes()),
                blankOr(requested.workingDir(), base.workingDir()), entrypoint, requested.networkDisabled(),
                requested.macAddress(), requested.onBuild(), labels(base.labels(), requested.labels()),
                blankOr(requested.stopSignal(), base.stopSignal()),
                requested.stopTimeout() != null ? requested.stopTimeout() : base.stopTimeout(),
                empty(requested.shell()) ? base.shell() : requested.shell());
    }

    private static boolean empty(List<?> list) {
        return list == null || list.isEmpty();
    }

    private static String blankOr(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static <V> Map<String, V> union(Map<String, V> base, Map<String, V> overrides) {
        Map<String, V> result = new LinkedHashMap<>();
        if (base != null) {
            result.putAll(base);
        }
        if (overrides != null) {
            result.putAll(overrides);
        }
        return result;
    }

    /** A label sent as null is Docker's empty value (Go reads JSON null into a string as ""). */
    private static Map<String, String> labels(Map<String, String> image, Map<String, String> requested) {
        Map<String, String> labels = union(image, requested);
        labels.replaceAll((key, value) -> value == null ? "" : value);
        return labels;
    }

    private static void addEnv(Map<String, String> env, List<String> entries) {
        if (entries == null) {
            return;
        }
        for (String text : entries) {
            if (text == null) {
                continue;
            }
            int eq = text.indexOf('=');
            if (eq <= 0) {
                env.put(text, null);
            } else {
                env.put(text.substring(0, eq), text.substring(eq + 1));
            }
        }
    }

    /** The process environment: the container's Env, plus what Docker always provides. */
    public static List<String> processEnv(List<String> env, String hostname, boolean tty, String home) {
        Map<String, String> values = new LinkedHashMap<>();
        boolean hasPath = false;
        for (String text : env == null ? List.<String>of() : env) {
            int eq = text == null ? -1 : text.indexOf('=');
            if (eq > 0) {
                values.put(text.substring(0, eq), text.substring(eq + 1));
                hasPath |= text.startsWith("PATH=");
            }
        }
        List<String> result = new ArrayList<>();
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
