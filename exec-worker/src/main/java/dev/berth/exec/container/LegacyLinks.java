package dev.berth.exec.container;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.network.Endpoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Docker's legacy links ({@code --link name:alias}) on the default bridge: the linked container
 * is listed in /etc/hosts under the alias, its hostname and its name, and its address, exposed
 * ports and environment reach the linking container as {@code ALIAS_PORT_…}, {@code ALIAS_NAME}
 * and {@code ALIAS_ENV_…} variables, as dockerd writes them.
 */
final class LegacyLinks {
    /** What a start adds: "names:address" entries for /etc/hosts and environment variables. */
    record Resolved(List<String> hostsEntries, List<String> env) {
    }

    /** One {@code name[:alias]} of HostConfig.Links. */
    record Link(String name, String alias) {
        static Link parse(String text) {
            String trimmed = text == null ? "" : text.trim();
            int colon = trimmed.indexOf(':');
            String name = strip(colon < 0 ? trimmed : trimmed.substring(0, colon));
            String alias = strip(colon < 0 ? name : trimmed.substring(colon + 1));
            if (name.isEmpty() || alias.isEmpty() || alias.contains(":")) {
                throw EngineException.invalid("invalid link format: " + text);
            }
            return new Link(name, alias);
        }

        private static String strip(String value) {
            return value.startsWith("/") ? value.substring(1) : value;
        }
    }

    private LegacyLinks() {
    }

    /** At create: links only on the default bridge, each naming a container that exists and is not this one. */
    static void check(List<String> links, String networkMode, Function<String, Container> containers) {
        if (links == null || links.isEmpty()) {
            return;
        }
        String mode = networkMode == null ? "" : networkMode;
        if (mode.equals("host")) {
            throw EngineException.invalid("conflicting options: host type networking can't be used with links. "
                    + "This would result in undefined behavior");
        }
        if (!List.of("", "default", "bridge").contains(mode)) {
            throw EngineException.invalid("berth does not support HostConfig.Links (--link) outside the default bridge network yet");
        }
        for (String text : links) {
            Link link = Link.parse(text);
            try {
                containers.apply(link.name());
            } catch (EngineException e) {
                // A 404 from create makes the CLI try to pull the image.
                throw EngineException.invalid("could not get container for " + link.name() + ": " + e.getMessage());
            }
        }
    }

    /** At start: every linked container must run on the default bridge. */
    static Resolved resolve(Container parent, Function<String, Container> containers) {
        List<String> hosts = new ArrayList<>();
        List<String> env = new ArrayList<>();
        List<String> links = parent.hostConfig().links();
        for (String text : links == null ? List.<String>of() : links) {
            Link link = Link.parse(text);
            Container child = containers.apply(link.name());
            Endpoint endpoint = child.isRunning() ? child.endpoints().stream()
                    .filter(e -> "bridge".equals(e.networkName())).findFirst().orElse(null) : null;
            if (endpoint == null) {
                throw EngineException.conflict("Cannot link to a non running container: /" + child.name() + " AS /"
                        + parent.name() + "/" + link.alias());
            }
            String names = link.alias() + " " + child.hostname() + (link.alias().equals(child.name()) ? "" : " " + child.name());
            hosts.add(names + ":" + endpoint.ipAddress());
            env.addAll(variables(link.alias(), "/" + parent.name() + "/" + link.alias(), endpoint.ipAddress(),
                    exposed(child.config().exposedPorts()), child.config().env()));
        }
        return new Resolved(hosts, env);
    }

    /** dockerd's variables for one link, in its order. */
    static List<String> variables(String alias, String linkName, String ip, List<String> ports, List<String> childEnv) {
        String prefix = alias.toUpperCase(Locale.ROOT).replace('-', '_');
        List<String> env = new ArrayList<>();
        if (!ports.isEmpty()) {
            String first = ports.get(0);
            env.add(prefix + "_PORT=" + proto(first) + "://" + ip + ":" + number(first));
        }
        for (String port : ports) {
            String key = prefix + "_PORT_" + number(port) + "_" + proto(port).toUpperCase(Locale.ROOT);
            env.add(key + "=" + proto(port) + "://" + ip + ":" + number(port));
            env.add(key + "_ADDR=" + ip);
            env.add(key + "_PORT=" + number(port));
            env.add(key + "_PROTO=" + proto(port));
        }
        env.add(prefix + "_NAME=" + linkName);
        for (String entry : childEnv == null ? List.<String>of() : childEnv) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = entry.substring(0, eq);
            // dockerd leaves these out: build-time noise, not the linked service's settings.
            if (!name.equals("HOME") && !name.equals("PATH")) {
                env.add(prefix + "_ENV_" + name + "=" + entry.substring(eq + 1));
            }
        }
        return env;
    }

    /** The exposed ports sorted as dockerd sorts them: by number, tcp first. */
    static List<String> exposed(Map<String, ?> exposedPorts) {
        if (exposedPorts == null) {
            return List.of();
        }
        return exposedPorts.keySet().stream()
                .map(port -> port.contains("/") ? port : port + "/tcp")
                .sorted(Comparator.comparingInt(LegacyLinks::numberValue).thenComparing(port -> !proto(port).equals("tcp")))
                .toList();
    }

    private static String number(String port) {
        return port.substring(0, port.indexOf('/'));
    }

    private static int numberValue(String port) {
        try {
            return Integer.parseInt(number(port).split("-")[0]);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static String proto(String port) {
        return port.substring(port.indexOf('/') + 1).toLowerCase(Locale.ROOT);
    }
}
