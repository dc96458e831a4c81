package dev.berth.net.ports;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.container.HostConfig;
import dev.berth.net.bridge.Ipv4Subnet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One port to publish, parsed from Docker's PortBindings: a container port and protocol, the
 * host address (0.0.0.0 for all) and the host ports it may take: one, a range to choose from, or
 * any (low 0) for the engine to pick.
 */
public record PortSpec(String protocol, int containerPort, String hostIp, int hostPortLow, int hostPortHigh) {
    /**
     * Every binding of the request; with publishAll, exposed ports without a binding get one on
     * any host port, as {@code -P} does.
     */
    public static List<PortSpec> of(Map<String, List<HostConfig.PortBinding>> bindings, boolean publishAll, List<String> exposed) {
        List<PortSpec> specs = new ArrayList<>();
        for (Map.Entry<String, List<HostConfig.PortBinding>> entry : bindings.entrySet()) {
            String[] port = containerPort(entry.getKey());
            for (HostConfig.PortBinding binding : entry.getValue()) {
                specs.add(parse(port[1], Integer.parseInt(port[0]), binding.hostIp(), binding.hostPort()));
            }
        }
        if (publishAll) {
            for (String key : exposed) {
                List<HostConfig.PortBinding> bound = bindings.get(key);
                if (bound == null || bound.isEmpty()) {
                    String[] port = containerPort(key);
                    specs.add(parse(port[1], Integer.parseInt(port[0]), "", ""));
                }
            }
        }
        return specs;
    }

    /** "80/tcp" or "80" as {port, protocol}. */
    private static String[] containerPort(String key) {
        String[] parts = key.split("/", -1);
        String protocol = parts.length > 1 ? parts[1].toLowerCase() : "tcp";
        if (parts.length > 2 || !protocol.equals("tcp") && !protocol.equals("udp")) {
            throw EngineException.invalid("invalid port specification: \"" + key + "\" (protocol " + protocol + " is not supported)");
        }
        number(parts[0], key);
        return new String[] {parts[0], protocol};
    }

    private static PortSpec parse(String protocol, int containerPort, String hostIp, String hostPort) {
        String ip = hostIp == null || hostIp.isEmpty() ? "0.0.0.0" : hostIp;
        if (ip.contains(":")) {
            throw EngineException.invalid("invalid host IP " + ip + ": IPv6 port bindings are not supported by berth");
        }
        Ipv4Subnet.parseAddress(ip);
        // Docker takes host port 0 (-p 0:80) as "any", like an empty one.
        if (hostPort == null || hostPort.isEmpty() || hostPort.equals("0")) {
            return new PortSpec(protocol, containerPort, ip, 0, 0);
        }
        int dash = hostPort.indexOf('-');
        int low = number(dash < 0 ? hostPort : hostPort.substring(0, dash), hostPort);
        int high = dash < 0 ? low : number(hostPort.substring(dash + 1), hostPort);
        if (high < low) {
            throw EngineException.invalid("invalid hostPort: " + hostPort);
        }
        return new PortSpec(protocol, containerPort, ip, low, high);
    }

    private static int number(String text, String whole) {
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= 65535 && text.chars().allMatch(Character::isDigit)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw EngineException.invalid("invalid port specification: \"" + whole + "\"");
    }
}
